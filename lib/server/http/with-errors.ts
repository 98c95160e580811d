import "server-only";
import { InputError, isInputError, type ApiErrorBody } from "@/lib/contracts/api-error";
import { NotReadyError } from "@/lib/server/read-model";

function errorResponse(status: number, code: string, message: string, fields?: ApiErrorBody["error"]["fields"]) {
  const body: ApiErrorBody = { error: { code, message, ...(fields ? { fields } : {}) } };
  return Response.json(body, { status });
}

/**
 * Wraps a route handler so that every failure answers in the API's error shape: invalid input
 * 400 naming the fields, not ready 503, anything else 500 (logged, never leaking internals).
 */
export function withErrors<A extends unknown[]>(handler: (...args: A) => Promise<Response>) {
  return async (...args: A): Promise<Response> => {
    try {
      return await handler(...args);
    } catch (error) {
      if (isInputError(error)) return errorResponse(400, error.code, error.message, error.fields);
      if (error instanceof Error && error.name === NotReadyError.name) return errorResponse(503, "not_ready", error.message);
      console.error("request failed", error);
      return errorResponse(500, "internal", "Internal error; the request was not applied");
    }
  };
}

/** The JSON body of a request; malformed JSON is an InputError on the body. */
export async function readJson(request: Request): Promise<unknown> {
  try {
    return await request.json();
  } catch {
    throw new InputError([{ path: "(body)", message: "body is not valid JSON" }]);
  }
}
