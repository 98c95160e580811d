/**
 * Liqdesk in one process on one port: Next.js pages and API, the socket feeds, the live
 * runtime and (by default) the demo price simulator. With REDIS_URL, one of several instances:
 * the live runtime runs on the one holding the engine lock, the others forward to it
 * (docs/SCALING.md). Each start step is in lib/server/start/; this file says their order.
 */
import { createLogger } from "@/lib/server/logger";
import { localFeedSources } from "@/lib/server/cluster/live-source";
import { StartError } from "@/lib/server/start-error";
import { loadConfig } from "@/lib/server/start/config";
import { Shutdown } from "@/lib/server/start/shutdown";
import { openSeededDatabase } from "@/lib/server/start/database-step";
import { clusterLinks, EngineSide } from "@/lib/server/start/engine-side";
import { startAuth } from "@/lib/server/start/auth-step";
import { createHttpSide, listen } from "@/lib/server/start/http-server";
import { openSockets } from "@/lib/server/start/sockets";
import { leaderDuties } from "@/lib/server/start/leader-duties";

async function main(): Promise<void> {
  const config = loadConfig();
  const dev = process.argv.includes("--dev");
  const log = createLogger(config.LOG_LEVEL);
  const shutdown = new Shutdown(log);
  shutdown.onSignals();

  const db = await openSeededDatabase(config, log, shutdown);
  // One instance: the runtime starts now. Several: a standby until it holds the engine lock.
  const engine = await EngineSide.open(config, log, db, shutdown);
  const { auth, secret } = await startAuth(config, log, db.prisma);
  const cluster = clusterLinks(config, db, secret);

  const http = await createHttpSide({ config, dev, log, cluster, services: () => engine.services() });
  const sources = cluster ? { snapshots: cluster.live, views: cluster.live } : localFeedSources(engine.services()!);
  const feeds = await openSockets(http, sources, { config, log, prisma: db.prisma, auth, shutdown });
  await engine.attach(feeds);
  await listen(http.server, config);

  /** Said once the pages have something to show: after the demo is loaded, where there is one. */
  const ready = () => log.info({ port: config.PORT, dev, database: db.embedded ? "embedded" : "DATABASE_URL" },
    `Liqdesk is ready at http://localhost:${config.PORT}/desk`);
  const duties = { config, log, prisma: db.prisma, shutdown };
  if (!cluster) {
    await leaderDuties(engine.services()!, duties);
    ready();
    return;
  }
  ready();
  const services = await engine.standBy(cluster, feeds, shutdown);
  if (services) await leaderDuties(services, duties);
}

main().catch((error: unknown) => {
  if (error instanceof StartError) console.error(`liqdesk: ${error.message}`);
  else console.error("liqdesk: failed to start:", error);
  process.exit(1);
});
