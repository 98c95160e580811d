import { findAuth } from "@/lib/server/auth/auth-registry";
import { checkedAuthRequest } from "@/lib/server/auth/auth-request";
import { withErrors } from "@/lib/server/http/with-errors";

/**
 * better-auth's endpoints (`/api/auth/sign-in/email`, `/sign-out`, `/get-session`, the OIDC callback): public, rate-limited.
 * A POST's body is checked as every JSON endpoint's is first (lib/server/auth/auth-request.ts).
 */
async function handle(request: Request): Promise<Response> {
  const auth = findAuth();
  if (!auth) return Response.json({ error: { code: "not_ready", message: "Liqdesk is starting" } }, { status: 503 });
  return auth.handler(request.method === "GET" ? request : await checkedAuthRequest(request));
}

export const GET = handle;
export const POST = withErrors(handle);
