import "server-only";

/**
 * A refusal with its own status that `withErrors` answers as it is: 409 `conflict`, 429
 * `rate_limited` (with `Retry-After`), … Recognised by name, like the other errors there.
 */
export class HttpError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly headers: Record<string, string> = {}) {
    super(message);
    this.name = "HttpError";
  }
}

export function isHttpError(error: unknown): error is HttpError {
  return error instanceof Error && error.name === "HttpError" && typeof (error as HttpError).status === "number";
}
