import "server-only";
import { InputError, isInputError, type ApiErrorBody } from "@/lib/contracts/api-error";
import { isHttpError } from "./http-error";

function errorResponse(status: number, code: string, message: string, fields?: ApiErrorBody["error"]["fields"], headers?: HeadersInit) {
  const body: ApiErrorBody = { error: { code, message, ...(fields ? { fields } : {}) } };
  return Response.json(body, { status, headers });
}

/**
 * Wraps a route handler so that every failure answers in the API's error shape: invalid input
 * 400 naming the fields, not found 404, an HttpError with its status (409, 429), not ready 503,
 * anything else 500 (logged, never leaking internals).
 */
export function withErrors<A extends unknown[]>(handler: (...args: A) => Promise<Response>) {
  return async (...args: A): Promise<Response> => {
    try {
      return await handler(...args);
    } catch (error) {
      if (isInputError(error)) return errorResponse(400, error.code, error.message, error.fields);
      if (error instanceof PayloadTooLargeError) return errorResponse(413, "payload_too_large", error.message);
      if (isHttpError(error)) return errorResponse(error.status, error.code, error.message, undefined, error.headers);
      // By name, not class: the production bundle minifies class names, and the runtime's errors
      // come from another module graph (see isInputError).
      if (error instanceof Error && error.name === "NotFoundError") return errorResponse(404, "not_found", error.message);
      if (error instanceof Error && error.name === "NotReadyError") return errorResponse(503, "not_ready", error.message);
      console.error("request failed", error);
      return errorResponse(500, "internal", "Internal error; the request was not applied");
    }
  };
}

class PayloadTooLargeError extends Error {
  constructor() {
    super(`body is larger than ${MAX_BODY_BYTES} bytes`);
    this.name = "PayloadTooLargeError";
  }
}

/** Largest request body accepted, in bytes of JSON text (10,000 items fit with room to spare). */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** The body of a request as text, for a handler that parses it elsewhere (a what-if thread); too large: 413. */
export async function readBodyText(request: Request): Promise<string> {
  const text = await request.text();
  if (text.length > MAX_BODY_BYTES) throw new PayloadTooLargeError();
  return text;
}

/** The JSON body of a request; too large or malformed JSON is an InputError on the body. */
export async function readJson(request: Request): Promise<unknown> {
  const text = await readBodyText(request);
  try {
    return JSON.parse(text);
  } catch {
    throw new InputError([{ path: "(body)", message: "body is not valid JSON" }]);
  }
}
