import type { Server } from "node:http";
import type { Env } from "../env";
import type { Logger } from "../logger";
import type { PrismaClient } from "../db/prisma-client";
import type { LiqdeskAuth } from "../auth/auth";
import { openFeeds, type FeedSources, type LiveFeeds } from "../feeds/open-feeds";
import { connectRedisFanout } from "../cluster/redis-fanout";
import type { HttpSide } from "./http-server";
import type { Shutdown } from "./shutdown";

/**
 * The socket feeds on the HTTP server (a socket lives only as long as its session: sign-out,
 * expiry, revocation, role or accounts change), their Redis fan-out with REDIS_URL, and the stop
 * of both with the HTTP server.
 */
export async function openSockets(http: HttpSide, sources: FeedSources, deps: {
  config: Env; log: Logger; prisma: PrismaClient; auth: LiqdeskAuth; shutdown: Shutdown;
}): Promise<LiveFeeds> {
  const { config, log, prisma, auth, shutdown } = deps;
  const { server } = http;
  const feeds = openFeeds(server, sources, { auth, prisma, env: config, log });
  // socket.io answers its own HTTP requests (polling, refusals): the same headers, no page there.
  feeds.transport.io.engine.on("headers", (headers: Record<string, string>) => Object.assign(headers, http.headersFor("-"), {
    "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
  }));
  feeds.transport.start();
  const closeRedis = config.REDIS_URL ? await connectRedisFanout(feeds.transport.io, config.REDIS_URL, config.LIQDESK_REDIS_CHANNEL, log) : null;
  shutdown.add("http and sockets", () => closeHttp(server, feeds, closeRedis));
  return feeds;
}

/**
 * Closing the HTTP server waits for every open connection; a page's keep-alive connection that
 * keeps carrying requests would hold it open for minutes. Idle ones go now, the rest after a grace
 * period for the requests in flight.
 */
async function closeHttp(server: Server, feeds: LiveFeeds, closeRedis: (() => Promise<void>) | null): Promise<void> {
  server.closeIdleConnections();
  const force = setTimeout(() => server.closeAllConnections(), 2_000);
  await feeds.transport.close();
  clearTimeout(force);
  await closeRedis?.();
}
