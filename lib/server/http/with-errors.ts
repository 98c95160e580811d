import "server-only";
import { isInputError } from "@/lib/contracts/api-error";
import { findServices } from "../services/services-registry";
import { isHttpError, isNotFound, isNotReady } from "../errors";
import { errorResponse } from "./error-response";

/** Whether the request failed because its client went away mid-body (Node's `Error: aborted`, ECONNRESET), not because of a fault here. */
export function isClientAbort(error: unknown): boolean {
  for (let e = error, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (e.message === "aborted" || e.name === "AbortError" || code === "ECONNRESET" || code === "ABORT_ERR") return true;
  }
  return false;
}

/**
 * Wraps a route handler so that every failure answers in the API's error shape: invalid input
 * 400 naming the fields, not found 404, an HttpError with its status (409, 413, 415, 429), not ready 503,
 * anything else 500 (logged, never leaking internals).
 */
export function withErrors<A extends unknown[]>(handler: (...args: A) => Promise<Response>) {
  return async (...args: A): Promise<Response> => {
    try {
      return await handler(...args);
    } catch (error) {
      if (isInputError(error)) return errorResponse({ status: 400, code: error.code, message: error.message, fields: error.fields });
      if (isHttpError(error)) return errorResponse(error);
      // By name, not class: the production bundle minifies class names, and the runtime's errors
      // come from another module graph (see isInputError).
      if (isNotFound(error)) return errorResponse({ status: 404, code: "not_found", message: error.message });
      if (isNotReady(error)) return errorResponse({ status: 503, code: "not_ready", message: error.message });
      if (isClientAbort(error)) {
        // Nobody reads this answer; the request was not applied (a body is read whole before anything is written).
        findServices()?.log.debug({ err: error }, "client aborted the request");
        return errorResponse({ status: 400, code: "aborted", message: "the client closed the request before its body was read" });
      }
      console.error("request failed", error);
      return errorResponse({ status: 500, code: "internal", message: "Internal error; the request was not applied" });
    }
  };
}
