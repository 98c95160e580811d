import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import { sendError } from "../http/error-response";
import type { Runtime } from "../runtime";

/** Paths of the calls between instances; never forwarded, answered only with the cluster secret. */
export const INTERNAL_PREFIX = "/_liqdesk/cluster";

const NO_STORE = { "cache-control": "no-store" };

function send(res: ServerResponse, body: unknown): void {
  res.writeHead(200, { "content-type": "application/json", ...NO_STORE });
  res.end(JSON.stringify(body));
}

function refuse(res: ServerResponse, status: number, code: string, message: string): void {
  sendError(res, { status, code, message, headers: NO_STORE });
}

/**
 * The leader's answers to its followers: the markets and desk snapshots a socket gets on joining
 * (or resyncing) and an account's live view (account rooms). `runtime` null: this instance is
 * not the leader (503). The caller has checked the cluster secret.
 */
export async function answerInternal(req: IncomingMessage, res: ServerResponse, runtime: Runtime | null): Promise<void> {
  const url = new URL(req.url ?? "/", "http://internal");
  if (!runtime) return refuse(res, 503, "not_leader", "this instance does not run the engine");
  try {
    switch (url.pathname.slice(INTERNAL_PREFIX.length)) {
      case "/markets": return send(res, runtime.marketsSnapshot());
      case "/desk": return send(res, runtime.deskSnapshot());
      case "/account-view": {
        const id = url.searchParams.get("id");
        if (!id) return refuse(res, 400, "invalid_input", "id: required");
        return send(res, { view: await runtime.engine.client.accountView(id, Date.now()) });
      }
      default: return refuse(res, 404, "not_found", `${url.pathname} not found`);
    }
  } catch (error) {
    refuse(res, 503, "not_ready", error instanceof Error ? error.message : String(error));
  }
}
