import { parseEnv } from "@/lib/server/env";
import { createLogger } from "@/lib/server/logger";
import { Runtime } from "@/lib/server/runtime";
import { seedDatabase } from "@/lib/server/seed";
import { afterEach, beforeEach } from "vitest";
import { createTestDatabase, type TestDatabase } from "./test-database";

/**
 * A live runtime (engine worker included) on a test database, as server.ts builds it, without
 * the HTTP server. Execution is off unless asked for: tests drive the executor with their own
 * clock through `runtime.engine.executeDueSteps(now)`.
 */
export async function startTestRuntime(db: TestDatabase, env: Record<string, string> = {}, insuranceFund = "0"): Promise<Runtime> {
  await seedDatabase(db.prisma, insuranceFund === "0" ? undefined : insuranceFund);
  const config = parseEnv({ LIQDESK_EXECUTION: "off", LIQDESK_SIMULATOR: "off", LIQDESK_SNAPSHOT_MS: "3600000", ...env });
  return Runtime.create(config, createLogger("silent"), db.prisma);
}

let lastTs = 0;
/** A price timestamp later than every one handed out before: each tick is newer than the last. */
export function nextTs(): number {
  lastTs = Math.max(Date.now(), lastTs + 1);
  return lastTs;
}

/** Prices from three sources at once, so that the mark is exactly `price` and fresh. */
export async function setMark(runtime: Runtime, marketId: string, price: number, ts = nextTs()): Promise<void> {
  for (const source of ["src-a", "src-b", "src-c"]) await runtime.ingestPrices({ source, ticks: [{ marketId, price, ts }] });
}

/** Waits until the engine has applied everything sent so far (requests are answered in order). */
export async function engineSettled(runtime: Runtime): Promise<void> {
  await runtime.engine.client.summary();
}

/**
 * A fresh database for each test of the calling `describe`, and the runtime a test starts on it
 * (`t.runtime = await startTestRuntime(t.db, …)`) stopped after it, before the database is dropped.
 */
export function perTestRuntime(): { db: TestDatabase; runtime: Runtime | null } {
  const slot: { db: TestDatabase; runtime: Runtime | null } = { db: undefined as unknown as TestDatabase, runtime: null };
  beforeEach(async () => {
    slot.db = await createTestDatabase();
  });
  afterEach(async () => {
    await slot.runtime?.stop();
    slot.runtime = null;
    await slot.db.drop();
  });
  return slot;
}
