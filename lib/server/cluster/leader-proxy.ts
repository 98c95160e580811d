import "server-only";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import https from "node:https";
import { CLIENT_IP_HEADER } from "../auth/auth";
import { sendError } from "../http/error-response";
import type { Logger } from "../logger";
import { CLUSTER_HEADER } from "./cluster-secret";
import type { LeaderLocator } from "./engine-leader";

/** Who leads, as far as forwarding needs to know. */
export type LeaderDirectory = Pick<LeaderLocator, "current" | "forget">;

/** For a request another instance forwarded: it is never forwarded again, it meets "no leader". */
export const NO_LEADER: LeaderDirectory = { current: async () => null, forget: () => undefined };

/** A client should try again after this many seconds when no leader answers. */
const RETRY_AFTER_S = 1;
/** Connection-level headers: they describe the hop from the client, not the request. */
const HOP_BY_HOP = ["connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "te", "trailer"];
const agents = { "http:": new http.Agent({ keepAlive: true }), "https:": new https.Agent({ keepAlive: true }) };

function unavailable(res: ServerResponse, message: string): void {
  sendError(res, { status: 503, code: "no_leader", message, headers: { "retry-after": String(RETRY_AFTER_S), "cache-control": "no-store" } });
}

/**
 * A follower's answer to an HTTP request: the leader's. The request goes to the leader as it came
 * (method, path, headers, body), with the client's address and the cluster secret added; the
 * leader authenticates and answers it, and its answer is streamed back. No leader, or none that
 * answers: 503 `no_leader` with Retry-After, before anything was done, so nothing is lost by
 * trying again. Requests are never retried here: a price batch is not idempotent.
 */
export async function forwardToLeader(
  req: IncomingMessage, res: ServerResponse, deps: { locator: LeaderDirectory; secret: string; log: Logger },
): Promise<void> {
  const leader = await deps.locator.current();
  if (!leader) return unavailable(res, "no instance runs the engine right now (a standby takes over within seconds): try again");
  const target = new URL(req.url ?? "/", leader);
  const headers: http.OutgoingHttpHeaders = { ...req.headers };
  for (const h of HOP_BY_HOP) delete headers[h];
  headers[CLIENT_IP_HEADER] = req.socket.remoteAddress ?? "";
  headers[CLUSTER_HEADER] = deps.secret;
  const client = target.protocol === "https:" ? https : http;
  const upstream = client.request(target, { method: req.method, headers, agent: agents[target.protocol as "http:" | "https:"] }, (answer) => {
    const out = { ...answer.headers };
    for (const h of HOP_BY_HOP) delete out[h];
    res.writeHead(answer.statusCode ?? 502, out);
    answer.pipe(res);
    answer.on("error", () => res.destroy());
  });
  upstream.on("error", (error) => {
    deps.locator.forget();
    if (res.headersSent) {
      res.destroy();
      return;
    }
    deps.log.warn({ err: error, leader }, "forwarding to the leader failed");
    unavailable(res, `the leader at ${leader} did not answer: try again`);
  });
  req.pipe(upstream);
}
