import "server-only";

/**
 * The errors the server's services throw and `withErrors` (lib/server/http/with-errors.ts) answers
 * in the API's error shape. Recognised there by name, not class: the production bundle minifies
 * class names, and the runtime's errors come from another module graph (server.ts) than the route
 * handlers'. Input errors are the contracts' (`InputError`, lib/contracts/api-error.ts).
 */

/** The live engine is not running yet (or not on this instance): 503 `not_ready`. */
export class NotReadyError extends Error {
  constructor() {
    super("Liqdesk is starting: the live engine is not ready yet");
    this.name = "NotReadyError";
  }
}

/** A resource that does not exist: 404 `not_found`. */
export class NotFoundError extends Error {
  constructor(what: string) {
    super(`${what} not found`);
    this.name = "NotFoundError";
  }
}

/**
 * A refusal with its own status that `withErrors` answers as it is: 409 `conflict`, 429
 * `rate_limited` (with `Retry-After`), …
 */
export class HttpError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly headers: Record<string, string> = {}) {
    super(message);
    this.name = "HttpError";
  }
}

/** A `NotFoundError`, from whichever module graph it was thrown in (by name: see above). */
export function isNotFound(error: unknown): error is NotFoundError {
  return error instanceof Error && error.name === "NotFoundError";
}

/** A `NotReadyError`, from whichever module graph it was thrown in. */
export function isNotReady(error: unknown): error is NotReadyError {
  return error instanceof Error && error.name === "NotReadyError";
}

export function isHttpError(error: unknown): error is HttpError {
  return error instanceof Error && error.name === "HttpError" && typeof (error as HttpError).status === "number";
}
