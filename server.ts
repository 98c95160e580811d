/**
 * Liqdesk in one process on one port: Next.js pages and API, the socket.io hub, the live
 * runtime and (by default) the demo price simulator.
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
import { SocketHub } from "@/lib/server/socket-hub";
import { PriceSimulator } from "@/lib/sim/price-simulator";
import { seedMarkets } from "@/lib/sim/seed-markets";

const SOCKET_PATH = "/socket.io";

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
  const shutdownSteps: (() => Promise<void> | void)[] = [];
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "shutting down");
    for (const step of shutdownSteps.reverse()) {
      try {
        await step();
      } catch (error) {
        log.error({ err: error }, "shutdown step failed");
      }
    }
    log.info("stopped");
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));

  const db = await openDatabase(config, log);
  shutdownSteps.push(() => db.close());
  const seeded = await seedDatabase(db.prisma, config.LIQDESK_INSURANCE_FUND_SEED);
  if (seeded.marketsCreated || seeded.fundSeeded) log.info(seeded, "first start: seeded markets and insurance fund");

  const runtime = await Runtime.create(config, log, db.prisma);
  shutdownSteps.push(() => runtime.stop());

  const app = next({ dev, dir: process.cwd(), hostname: "localhost", port: config.PORT });
  await app.prepare();
  const handle = app.getRequestHandler();
  const nextUpgrade = app.getUpgradeHandler();
  const server = createServer((req, res) => void handle(req, res));
  const hub = new SocketHub(server, runtime);
  // socket.io answers upgrades on its own path; every other upgrade (Next's dev HMR) goes to Next.
  server.on("upgrade", (req, socket, head) => {
    if (!req.url?.startsWith(SOCKET_PATH)) void nextUpgrade(req, socket, head);
  });
  await runtime.attachHub(hub);
  setRuntime(runtime);
  shutdownSteps.push(() => hub.close());

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.PORT, config.HOST, () => resolve());
  });
  log.info({ port: config.PORT, dev, database: db.embedded ? "embedded" : "DATABASE_URL" },
    `Liqdesk is ready at http://localhost:${config.PORT}/desk`);

  if (config.LIQDESK_SIMULATOR === "on") {
    const latest = runtime.markets.views(Date.now());
    const sim = new PriceSimulator({
      markets: seedMarkets.filter((m) => runtime.markets.has(m.id)),
      sources: ["sim-a", "sim-b", "sim-c"],
      tickMs: config.LIQDESK_SIM_TICK_MS,
      seed: config.LIQDESK_SIM_SEED,
      startPrices: new Map(latest.flatMap((m) => (m.mark === null ? [] : [[m.id, m.mark] as const]))),
      ingest: (batch) => runtime.ingestPrices(batch),
      onError: (error) => log.error({ err: error }, "simulator ingest failed"),
    });
    const accounts = await seedDemoAccounts(runtime, config.LIQDESK_SIM_ACCOUNTS, config.LIQDESK_SIM_SEED);
    if (accounts) log.info({ accounts }, "first start: demo accounts ingested");
    sim.start();
    shutdownSteps.push(() => sim.stop());
    log.info({ tickMs: config.LIQDESK_SIM_TICK_MS }, "price simulator on (LIQDESK_SIMULATOR=off turns it off)");
  }
}

main().catch((error: unknown) => {
  console.error("liqdesk: failed to start:", error);
  process.exit(1);
});
