import { findAuth } from "@/lib/server/auth/auth-registry";

/** better-auth's endpoints (`/api/auth/sign-in/email`, `/sign-out`, `/get-session`, the OIDC callback): public, rate-limited. */
async function handle(request: Request): Promise<Response> {
  const auth = findAuth();
  if (!auth) return Response.json({ error: { code: "not_ready", message: "Liqdesk is starting" } }, { status: 503 });
  return auth.handler(request);
}

export const GET = handle;
export const POST = handle;
