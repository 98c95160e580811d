/**
 * Liqdesk in one process on one port: Next.js pages and API, the socket feeds, the live
 * runtime and (by default) the demo price simulator. With REDIS_URL, one of several instances:
 * the live runtime runs on the one holding the engine lock, the others forward to it
 * (docs/SCALING.md).
 */
import { createServer } from "node:http";
import next from "next";
import { env, EnvError } from "@/lib/server/env";
import { createLogger } from "@/lib/server/logger";
import { openDatabase } from "@/lib/server/database";
import { seedDatabase } from "@/lib/server/seed";
import { seedDemoAccounts } from "@/lib/server/seed-demo-accounts";
import { Runtime } from "@/lib/server/runtime";
import { setRuntime } from "@/lib/server/runtime-registry";
import { openFeeds } from "@/lib/server/feeds/open-feeds";
import { PriceSimulator } from "@/lib/sim/price-simulator";
import { CLIENT_IP_HEADER, createAuth } from "@/lib/server/auth/auth";
import { resolveAuthSecret } from "@/lib/server/auth/auth-secret";
import { setAuth } from "@/lib/server/auth/auth-registry";
import { bindDemoTraders, createDemoUsers } from "@/lib/server/auth/seed-demo-users";
import { seedMarkets } from "@/lib/sim/seed-markets";
import { checkDatabase } from "@/lib/server/check-database";
import { EngineLock } from "@/lib/server/cluster/engine-lock";
import { LeaderLocator, recordLeader } from "@/lib/server/cluster/engine-leader";
import { CLUSTER_HEADER, clusterSecret, fromInstance } from "@/lib/server/cluster/cluster-secret";
import { answerInternal, INTERNAL_PREFIX } from "@/lib/server/cluster/internal-api";
import { forwardToLeader, NO_LEADER } from "@/lib/server/cluster/leader-proxy";
import { LeaderClient } from "@/lib/server/cluster/leader-client";
import { LiveSource } from "@/lib/server/cluster/live-source";
import { connectRedisFanout } from "@/lib/server/cluster/redis-fanout";
import { setClusterState } from "@/lib/server/cluster/cluster-registry";
import { hostRefusal } from "@/lib/server/auth/site-origin";
import { newNonce, securityHeaders } from "@/lib/server/http/security-headers";
import { errorBody, sendError } from "@/lib/server/http/error-response";
import { isUnder, requestLineRefusal, routedPath } from "@/lib/server/http/request-line";
import { StartError } from "@/lib/server/start-error";
import { webPortTaken } from "@/lib/server/port-in-use";

const SOCKET_PATH = "/socket.io";
const HEALTH_PATH = "/api/health";
const INGEST_PREFIX = "/api/v1/ingest/";
const EVALUATE_PATH = "/api/v1/risk/evaluate";
/**
 * Endpoints that take a token, not a session: answered whatever the Host (a feed may post to an
 * internal address). Decided on the routed path (a dot-segment never gets here: refused first).
 */
const ANY_HOST_PATHS = [HEALTH_PATH, INGEST_PREFIX, "/api/metrics"];
/** How long an orderly shutdown may take before the process exits anyway (status 1). */
const SHUTDOWN_DEADLINE_MS = 30_000;

async function main(): Promise<void> {
  let config;
  try {
    config = env();
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(`liqdesk: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
  const dev = process.argv.includes("--dev");
  const log = createLogger(config.LOG_LEVEL);
  const shutdownSteps: { name: string; run: () => Promise<void> | void }[] = [];
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "shutting down");
    let current = "";
    // Every acknowledged write is committed before its answer, so a shutdown that hangs loses
    // nothing by exiting: say which step hung, and go.
    setTimeout(() => {
      log.error({ step: current, afterMs: SHUTDOWN_DEADLINE_MS }, "shutdown step did not finish: exiting");
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    for (const step of shutdownSteps.reverse()) {
      current = step.name;
      const started = performance.now();
      try {
        await step.run();
      } catch (error) {
        log.error({ err: error, step: step.name }, "shutdown step failed");
      }
      log.debug({ step: step.name, ms: Math.round(performance.now() - started) }, "shutdown step done");
    }
    log.info("stopped");
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));

  const db = await openDatabase(config, log);
  shutdownSteps.push({ name: "database", run: () => db.close() });
  const seeded = await seedDatabase(db.prisma, config.LIQDESK_INSURANCE_FUND_SEED);
  if (seeded.marketsCreated || seeded.fundSeeded) log.info(seeded, "first start: seeded markets and insurance fund");

  // Several instances (REDIS_URL, docs/SCALING.md): the engine runs where the engine lock is held;
  // the others forward to it. One instance: the engine runs here, from the start.
  const several = config.REDIS_URL !== undefined;
  let runtime: Runtime | null = null;
  let takeover: Promise<void> | null = null;
  const lock = several ? new EngineLock(db.url, log, (reason) => {
    // Fencing: another instance may take the lock any moment now. Nothing acknowledged is lost by
    // exiting (every answer follows its commit); a supervisor starts this instance again as a standby.
    log.fatal({ reason }, "lost the engine lock: exiting at once so that two engines never run together");
    process.exit(1);
  }) : null;
  if (lock) shutdownSteps.push({ name: "engine lock", run: () => lock.release() });
  shutdownSteps.push({ name: "engine", run: async () => {
    await takeover?.catch(() => undefined);
    await runtime?.stop();
  } });
  if (!several) runtime = await Runtime.create(config, log, db.prisma);

  const secret = resolveAuthSecret(config);
  if (secret.source === "generated") log.info({ file: secret.file }, "first start: generated the auth secret (LIQDESK_AUTH_SECRET overrides it)");
  const auth = createAuth({ prisma: db.prisma, env: config, secret: secret.secret, log });
  setAuth(auth);
  if (config.LIQDESK_DEMO_USERS === "on" && await createDemoUsers(db.prisma, config.LIQDESK_DEMO_PASSWORD)) {
    log.info("first start: demo users created (LIQDESK_DEMO_USERS=off for none)");
  }
  const peerSecret = several ? clusterSecret(secret.secret) : null;
  const internalUrl = config.LIQDESK_INTERNAL_URL ?? `http://127.0.0.1:${config.PORT}`;
  const locator = new LeaderLocator(db.prisma);
  const live = peerSecret ? new LiveSource(new LeaderClient(locator, peerSecret)) : null;

  const app = next({ dev, dir: process.cwd(), hostname: "localhost", port: config.PORT });
  await app.prepare();
  const handle = app.getRequestHandler();
  const nextUpgrade = app.getUpgradeHandler();
  const headersFor = securityHeaders(config, { dev });
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
    if (peerSecret !== null) {
      if (req.url?.startsWith(INTERNAL_PREFIX)) {
        if (!peer) res.writeHead(403).end();
        else void answerInternal(req, res, runtime);
        return;
      }
      // A standby answers its own health; everything else is the leader's to answer. A request
      // another instance forwarded is never forwarded again.
      if (!runtime && !req.url?.startsWith(HEALTH_PATH)) {
        void forwardToLeader(req, res, { locator: peer ? NO_LEADER : locator, secret: peerSecret, log });
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
  // The socket feeds: a socket lives only as long as its session (sign-out, expiry, revocation, role or accounts change).
  const feeds = openFeeds(server, { snapshots: live ?? runtime!, views: live ?? runtime!.engine.client }, { auth, prisma: db.prisma, env: config, log });
  // socket.io answers its own HTTP requests (polling, refusals): the same headers, no page there.
  feeds.transport.io.engine.on("headers", (headers: Record<string, string>) => Object.assign(headers, headersFor("-"), {
    "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
  }));
  feeds.transport.start();
  const closeRedis = config.REDIS_URL ? await connectRedisFanout(feeds.transport.io, config.REDIS_URL, config.LIQDESK_REDIS_CHANNEL, log) : null;
  // CONNECT is not answered here (Node hands it to this event, not to the request handler).
  server.on("connect", (_req, socket) => {
    socket.end("HTTP/1.1 405 Method Not Allowed\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n"
      + JSON.stringify(errorBody({ status: 405, code: "bad_method", message: "method \"CONNECT\" is not answered here" })));
  });
  // socket.io answers upgrades on its own path; every other upgrade (Next's dev HMR) goes to Next.
  server.on("upgrade", (req, socket, head) => {
    if (!req.url?.startsWith(SOCKET_PATH)) void nextUpgrade(req, socket, head);
  });
  if (runtime) {
    await runtime.attachFeeds(feeds);
    setRuntime(runtime);
  }
  shutdownSteps.push({ name: "http and sockets", run: async () => {
    // Closing the HTTP server waits for every open connection; a page's keep-alive connection
    // that keeps carrying requests would hold it open for minutes. Idle ones go now, the rest
    // after a grace period for the requests in flight.
    server.closeIdleConnections();
    const force = setTimeout(() => server.closeAllConnections(), 2_000);
    await feeds.transport.close();
    clearTimeout(force);
    await closeRedis?.();
  } });

  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => reject(error.code === "EADDRINUSE" ? webPortTaken(config.PORT) : error));
    server.listen(config.PORT, config.HOST, () => resolve());
  });
  /** Said once the pages have something to show: after the demo is loaded, where there is one. */
  const ready = () => log.info({ port: config.PORT, dev, database: db.embedded ? "embedded" : "DATABASE_URL" },
    `Liqdesk is ready at http://localhost:${config.PORT}/desk`);

  /** What only the instance running the engine does: the simulator, the demo data. */
  const leaderDuties = async (rt: Runtime) => {
    if (config.LIQDESK_SIMULATOR === "on") {
      const latest = rt.markets.views(Date.now());
      const sim = new PriceSimulator({
        markets: seedMarkets.filter((m) => rt.markets.has(m.id)),
        sources: ["sim-a", "sim-b", "sim-c"],
        tickMs: config.LIQDESK_SIM_TICK_MS,
        seed: config.LIQDESK_SIM_SEED,
        startPrices: new Map(latest.flatMap((m) => (m.mark === null ? [] : [[m.id, m.mark] as const]))),
        ingest: (batch) => rt.ingestPrices(batch),
        onError: (error) => log.error({ err: error }, "simulator ingest failed"),
      });
      const accounts = await seedDemoAccounts(rt, config.LIQDESK_SIM_ACCOUNTS, config.LIQDESK_SIM_SEED);
      if (accounts) log.info({ accounts }, "first start: demo accounts ingested");
      sim.start();
      shutdownSteps.push({ name: "simulator", run: () => sim.stop() });
      log.info({ tickMs: config.LIQDESK_SIM_TICK_MS }, "price simulator on (LIQDESK_SIMULATOR=off turns it off)");
    }
    if (config.LIQDESK_DEMO_USERS === "on") {
      const demo = await bindDemoTraders(rt);
      if (demo) {
        const traders = demo.traders.map((t) => `${t.email} (accounts ${t.accounts.join(", ") || "none"})`).join(", ");
        log.info({ signIn: `http://localhost:${config.PORT}/sign-in`, ...demo },
          `Sign in at http://localhost:${config.PORT}/sign-in as ${demo.desk} (desk) `
          + `or ${traders} (traders), password "${config.LIQDESK_DEMO_PASSWORD}" (LIQDESK_DEMO_USERS=off for none; npm run user -- create for real users)`);
      }
    }
  };

  if (!lock || !live) {
    await leaderDuties(runtime!);
    ready();
    return;
  }
  ready();
  setClusterState({
    role: () => (runtime ? "leader" : "standby"),
    leaderUrl: async () => (runtime ? internalUrl : locator.current()),
    checkDatabase: () => checkDatabase(db.prisma),
    startedAt: Date.now(),
  });
  void locator.current().then((leader) => log.info({ leader, internalUrl }, "standby: waiting for the engine lock"));
  const backendPid = await lock.acquire();
  if (backendPid === null || stopping) return;
  takeover = (async () => {
    const started = performance.now();
    // Deltas are numbered by the clock from here on: above every number the previous leader sent.
    const seqBase = Date.now();
    const rt = await Runtime.create(config, log, db.prisma, { seqBase });
    runtime = rt;
    live.lead(rt);
    await rt.attachFeeds(feeds);
    setRuntime(rt);
    await recordLeader(db.prisma, internalUrl, backendPid);
    log.info({ internalUrl, ms: Math.round(performance.now() - started) }, "took over the engine: this instance is the leader");
  })();
  await takeover;
  if (!stopping) await leaderDuties(runtime!);
}

main().catch((error: unknown) => {
  if (error instanceof StartError) console.error(`liqdesk: ${error.message}`);
  else console.error("liqdesk: failed to start:", error);
  process.exit(1);
});
