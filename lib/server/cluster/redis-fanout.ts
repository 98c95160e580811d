import "server-only";
import { createAdapter } from "@socket.io/redis-adapter";
import { createClient } from "redis";
import type { Server } from "socket.io";
import type { Logger } from "../logger";

/** How long an error of one Redis connection is not logged again (a Redis outage would flood the log). */
const ERROR_LOG_EVERY_MS = 10_000;

/**
 * Socket fan-out across instances: the socket.io Redis adapter, so that a push to a room reaches
 * that room's clients on every instance. Two connections (publish, subscribe); while Redis is down
 * they reconnect on their own and pushes wait in the publish connection's queue (clients on other
 * instances see their data age meanwhile; their seq gap makes them resync afterwards).
 * Resolves once both are connected; returns the function that closes them.
 */
export async function connectRedisFanout(io: Server, url: string, channel: string, log: Logger): Promise<() => Promise<void>> {
  const pub = createClient({ url });
  const sub = pub.duplicate();
  for (const [name, client] of [["publish", pub], ["subscribe", sub]] as const) {
    let lastLogged = 0;
    client.on("error", (error: unknown) => {
      if (Date.now() - lastLogged < ERROR_LOG_EVERY_MS) return;
      lastLogged = Date.now();
      log.error({ err: error, connection: name }, "Redis connection failed (socket pushes to other instances wait)");
    });
  }
  await Promise.all([pub.connect(), sub.connect()]);
  io.adapter(createAdapter(pub, sub, { key: channel, publishOnSpecificResponseChannel: true }));
  return async () => {
    await Promise.allSettled([pub.quit(), sub.quit()]);
  };
}
