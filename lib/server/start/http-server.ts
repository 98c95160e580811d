import { createServer, type Server } from "node:http";
import next from "next";
import type { Env } from "../env";
import type { Logger } from "../logger";
import type { Services } from "../services/services";
import { CLIENT_IP_HEADER } from "../auth/auth";
import { hostRefusal } from "../auth/site-origin";
import { CLUSTER_HEADER, fromInstance } from "../cluster/cluster-secret";
import { answerInternal, INTERNAL_PREFIX } from "../cluster/internal-api";
import { forwardToLeader, NO_LEADER } from "../cluster/leader-proxy";
import { newNonce, securityHeaders } from "../http/security-headers";
import { errorBody, sendError } from "../http/error-response";
import { isUnder, requestLineRefusal, routedPath } from "../http/request-line";
import { webPortTaken } from "../port-in-use";
import type { ClusterLinks } from "./engine-side";

export const SOCKET_PATH = "/socket.io";
const HEALTH_PATH = "/api/health";
const INGEST_PREFIX = "/api/v1/ingest/";
const EVALUATE_PATH = "/api/v1/risk/evaluate";
/**
 * Endpoints that take a token, not a session: answered whatever the Host (a feed may post to an
 * internal address). Decided on the routed path (a dot-segment never gets here: refused first).
 */
const ANY_HOST_PATHS = [HEALTH_PATH, INGEST_PREFIX, "/api/metrics"];

export interface HttpSide {
  server: Server;
  /** The security headers of one answer (its script nonce). */
  headersFor: ReturnType<typeof securityHeaders>;
}

/**
 * Next.js prepared, and the HTTP server in front of it with its guards: the security headers on
 * every answer, the request line, Host and method checks, the calls between instances and the
 * forwarding to the leader (`cluster`), the client address for the sign-in limiter. Not listening yet.
 */
export async function createHttpSide(options: {
  config: Env; dev: boolean; log: Logger; cluster: ClusterLinks | null; services: () => Services | null;
}): Promise<HttpSide> {
  const { config, dev, log, cluster, services } = options;
  const app = next({ dev, dir: process.cwd(), hostname: "localhost", port: config.PORT });
  await app.prepare();
  const handle = app.getRequestHandler();
  const nextUpgrade = app.getUpgradeHandler();
  const headersFor = securityHeaders(config, { dev });
  const peerSecret = cluster?.peerSecret ?? null;
  const server = createServer((req, res) => {
    // Every answer carries the security headers; a page's scripts run with this nonce only (Next
    // reads it from the request's CSP header, set here so that a client's own never counts).
    const security = headersFor(newNonce());
    for (const [name, value] of Object.entries(security)) res.setHeader(name, value);
    req.headers["content-security-policy"] = security["content-security-policy"];
    delete req.headers["content-security-policy-report-only"];
    // A method the app does not answer (405), two Host headers, a path or query that is not strict
    // UTF-8 percent-encoding or has a dot-segment (400): refused before anything reads them.
    const line = requestLineRefusal(req.method, req.url, req.rawHeaders);
    if (line) return void sendError(res, line);
    const peer = peerSecret !== null && fromInstance(req.headers, peerSecret);
    // A Host that is not a host (400), or not this site's when it has no public URL (421): refused
    // here, before better-auth, which resolves the site's address from it, could fail on it.
    const path = routedPath(req.url ?? "/");
    const refusal = peer || ANY_HOST_PATHS.some((p) => isUnder(path, p)) ? null : hostRefusal(req.headers.host, config);
    if (refusal) return void sendError(res, refusal);
    delete req.headers[CLUSTER_HEADER];
    if (cluster && peerSecret !== null) {
      if (req.url?.startsWith(INTERNAL_PREFIX)) {
        if (!peer) res.writeHead(403).end();
        else void answerInternal(req, res, services());
        return;
      }
      // A standby answers its own health; everything else is the leader's to answer. A request
      // another instance forwarded is never forwarded again.
      if (!services() && !req.url?.startsWith(HEALTH_PATH)) {
        void forwardToLeader(req, res, { locator: peer ? NO_LEADER : cluster.locator, secret: peerSecret, log });
        return;
      }
    }
    // The sign-in rate limiter keys on the address of the connection, never on a header a client
    // chose; a request forwarded by another instance carries its client's address.
    const forwarded = peer ? req.headers[CLIENT_IP_HEADER] : undefined;
    req.headers[CLIENT_IP_HEADER] = typeof forwarded === "string" ? forwarded : req.socket.remoteAddress ?? "";
    // Next compresses every response a client accepts compressed, whatever its size (it drops a
    // route's Content-Length, so the size threshold never applies). Not these: an ingest or health
    // answer is a few dozen bytes of JSON (a zlib stream, ~0.5 ms of main-thread CPU a request, for
    // nothing; probes ask for health every few seconds or faster); a what-if answer is tens of MB,
    // and compressing it held the main thread up to 0.48 s (docs/PERFORMANCE.md, "Health under
    // what-if load"), while a route cannot send its own Content-Encoding through Next.
    if (isUnder(path, INGEST_PREFIX) || path === EVALUATE_PATH || path === HEALTH_PATH) delete req.headers["accept-encoding"];
    void handle(req, res);
  });
  // CONNECT is not answered here (Node hands it to this event, not to the request handler).
  server.on("connect", (_req, socket) => {
    socket.end("HTTP/1.1 405 Method Not Allowed\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n"
      + JSON.stringify(errorBody({ status: 405, code: "bad_method", message: "method \"CONNECT\" is not answered here" })));
  });
  // socket.io answers upgrades on its own path; every other upgrade (Next's dev HMR) goes to Next.
  server.on("upgrade", (req, socket, head) => {
    if (!req.url?.startsWith(SOCKET_PATH)) void nextUpgrade(req, socket, head);
  });
  return { server, headersFor };
}

/** Listens on HOST:PORT; a port already in use is one clear line (lib/server/port-in-use.ts). */
export function listen(server: Server, config: Env): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => reject(error.code === "EADDRINUSE" ? webPortTaken(config.PORT) : error));
    server.listen(config.PORT, config.HOST, () => resolve());
  });
}
