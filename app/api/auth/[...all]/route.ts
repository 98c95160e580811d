import { findAuth } from "@/lib/server/auth/auth-registry";
import { findSocketSessions } from "@/lib/server/auth/socket-sessions";

/** Endpoints that end sessions: this instance's sockets are checked at once (the others within a second). */
const ENDS_SESSIONS = /\/(sign-out|revoke-session|revoke-sessions|revoke-other-sessions)$/;

/** better-auth's endpoints (`/api/auth/sign-in/email`, `/sign-out`, `/get-session`, the OIDC callback): public, rate-limited. */
async function handle(request: Request): Promise<Response> {
  const auth = findAuth();
  if (!auth) return Response.json({ error: { code: "not_ready", message: "Liqdesk is starting" } }, { status: 503 });
  const response = await auth.handler(request);
  if (request.method === "POST" && response.ok && ENDS_SESSIONS.test(new URL(request.url).pathname)) void findSocketSessions()?.check();
  return response;
}

export const GET = handle;
export const POST = handle;
