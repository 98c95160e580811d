import "server-only";
import { BODY_LIMITS } from "../http/body-limits";
import { readJson } from "../http/read-body";

/**
 * A request to better-auth's endpoints with its body checked as every JSON endpoint's is
 * (`readJson`: 415 unless `application/json`, 413 past BODY_LIMITS.auth (16 KiB) while streaming,
 * 400 for invalid UTF-8, nesting too deep, not JSON, or a string with a NUL or a lone surrogate),
 * then handed on with that JSON.
 * A request without a body, and the OAuth callbacks (a provider may post a form there), are
 * handed on as they came.
 */
export async function checkedAuthRequest(request: Request): Promise<Request> {
  if (request.body === null || isOAuthCallback(request)) return request;
  const body = await readJson(request, BODY_LIMITS.auth);
  const headers = new Headers(request.headers);
  headers.delete("content-length");
  return new Request(request.url, { method: request.method, headers, body: JSON.stringify(body), signal: request.signal });
}

/** Whether a request is to an OAuth callback of better-auth (`/api/auth/callback/…`, `/oauth2/callback/…`). */
export function isOAuthCallback(request: Request): boolean {
  return new URL(request.url).pathname.includes("/callback/");
}
