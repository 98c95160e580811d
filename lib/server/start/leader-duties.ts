import type { Env } from "../env";
import type { Logger } from "../logger";
import type { PrismaClient } from "../db/prisma-client";
import type { Services } from "../services/services";
import { seedDemoAccounts } from "../seed-demo-accounts";
import { bindDemoTraders } from "../auth/seed-demo-users";
import { PriceSimulator } from "@/lib/sim/price-simulator";
import { seedMarkets } from "@/lib/sim/seed-markets";
import type { Shutdown } from "./shutdown";

/** What only the instance running the engine does: the demo price simulator, the demo accounts, the demo traders' accounts. */
export async function leaderDuties(services: Services, deps: { config: Env; log: Logger; prisma: PrismaClient; shutdown: Shutdown }): Promise<void> {
  const { config, log, prisma, shutdown } = deps;
  if (config.LIQDESK_SIMULATOR === "on") {
    const latest = services.markets.snapshot().markets;
    const sim = new PriceSimulator({
      markets: seedMarkets.filter((m) => latest.some((l) => l.id === m.id)),
      sources: ["sim-a", "sim-b", "sim-c"],
      tickMs: config.LIQDESK_SIM_TICK_MS,
      seed: config.LIQDESK_SIM_SEED,
      startPrices: new Map(latest.flatMap((m) => (m.mark === null ? [] : [[m.id, m.mark] as const]))),
      ingest: (batch) => services.ingest.prices(batch),
      onError: (error) => log.error({ err: error }, "simulator ingest failed"),
    });
    const accounts = await seedDemoAccounts(prisma, services, config.LIQDESK_SIM_ACCOUNTS, config.LIQDESK_SIM_SEED);
    if (accounts) log.info({ accounts }, "first start: demo accounts ingested");
    sim.start();
    shutdown.add("simulator", () => sim.stop());
    log.info({ tickMs: config.LIQDESK_SIM_TICK_MS }, "price simulator on (LIQDESK_SIMULATOR=off turns it off)");
  }
  if (config.LIQDESK_DEMO_USERS === "on") {
    const demo = await bindDemoTraders(prisma, services.accounts);
    if (demo) {
      const traders = demo.traders.map((t) => `${t.email} (accounts ${t.accounts.join(", ") || "none"})`).join(", ");
      log.info({ signIn: `http://localhost:${config.PORT}/sign-in`, ...demo },
        `Sign in at http://localhost:${config.PORT}/sign-in as ${demo.desk} (desk) `
        + `or ${traders} (traders), password "${config.LIQDESK_DEMO_PASSWORD}" (LIQDESK_DEMO_USERS=off for none; npm run user -- create for real users)`);
    }
  }
}
