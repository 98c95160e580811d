import { findAuth } from "@/lib/server/auth/auth-registry";
import { checkedAuthRequest, isOAuthCallback } from "@/lib/server/auth/auth-request";
import { crossSiteReason } from "@/lib/server/auth/same-origin";
import { allowedOrigins } from "@/lib/server/auth/site-origin";
import { findSocketSessions } from "@/lib/server/feeds/socket-sessions";
import { errorResponse } from "@/lib/server/http/error-response";
import { withErrors } from "@/lib/server/http/with-errors";
import { findRuntime } from "@/lib/server/runtime-registry";

/** Endpoints that end sessions: this instance's sockets are checked at once (the others within a second). */
const ENDS_SESSIONS = /\/(sign-out|revoke-session|revoke-sessions|revoke-other-sessions)$/;

/**
 * better-auth's endpoints (`/api/auth/sign-in/email`, `/sign-out`, `/get-session`, the OIDC
 * callback): public, rate-limited. A POST must come from a page of this site, by the same check
 * as every state-changing request (same-origin.ts): better-auth checks `Origin` only on requests
 * that carry a cookie, and a sign-in carries none (another site could sign a browser in). The OAuth
 * callback is exempt (an identity provider may post a form there; its `state` protects it). Then a
 * POST's body is checked as every JSON endpoint's is (lib/server/auth/auth-request.ts).
 */
async function handle(request: Request): Promise<Response> {
  const auth = findAuth();
  const env = findRuntime()?.env;
  if (!auth || !env) return errorResponse({ status: 503, code: "not_ready", message: "Liqdesk is starting" });
  if (request.method === "POST" && !isOAuthCallback(request)) {
    const reason = crossSiteReason(request.headers, allowedOrigins(env));
    if (reason) return errorResponse({ status: 403, code: "cross_site", message: `refused: sign-in and sign-out must come from this site (${reason})` });
  }
  const response = await auth.handler(request.method === "GET" ? request : await checkedAuthRequest(request));
  if (request.method === "POST" && response.ok && ENDS_SESSIONS.test(new URL(request.url).pathname)) void findSocketSessions()?.check();
  return response;
}

export const GET = handle;
export const POST = withErrors(handle);
