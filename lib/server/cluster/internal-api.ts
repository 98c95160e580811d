import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Runtime } from "../runtime";

/** Paths of the calls between instances; never forwarded, answered only with the cluster secret. */
export const INTERNAL_PREFIX = "/_liqdesk/cluster";

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(JSON.stringify(body));
}

/**
 * The leader's answers to its followers: the markets and desk snapshots a socket gets on joining
 * (or resyncing) and an account's live view (account rooms). `runtime` null: this instance is
 * not the leader (503). The caller has checked the cluster secret.
 */
export async function answerInternal(req: IncomingMessage, res: ServerResponse, runtime: Runtime | null): Promise<void> {
  const url = new URL(req.url ?? "/", "http://internal");
  if (!runtime) return send(res, 503, { error: { code: "not_leader", message: "this instance does not run the engine" } });
  try {
    switch (url.pathname.slice(INTERNAL_PREFIX.length)) {
      case "/markets": return send(res, 200, runtime.marketsSnapshot());
      case "/desk": return send(res, 200, runtime.deskSnapshot());
      case "/account-view": {
        const id = url.searchParams.get("id");
        if (!id) return send(res, 400, { error: { code: "invalid_input", message: "id: required" } });
        return send(res, 200, { view: await runtime.engine.client.accountView(id, Date.now()) });
      }
      default: return send(res, 404, { error: { code: "not_found", message: `${url.pathname} not found` } });
    }
  } catch (error) {
    send(res, 503, { error: { code: "not_ready", message: error instanceof Error ? error.message : String(error) } });
  }
}
