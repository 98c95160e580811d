import { parseEnv, type Env } from "@/lib/server/env";
import { createLogger } from "@/lib/server/logger";
import { Runtime, type RuntimeOptions } from "@/lib/server/runtime";
import type { LiveEngine } from "@/lib/server/live-engine";
import type { DeskStream } from "@/lib/server/feeds/desk-stream";
import { seedDatabase } from "@/lib/server/seed";
import { afterEach, beforeEach } from "vitest";
import { createTestDatabase, type TestDatabase } from "./test-database";

/**
 * A live runtime (engine worker included) on a test database, as server.ts builds it, without
 * the HTTP server. Execution is off unless asked for: tests drive the executor with their own
 * clock through `engineOf(runtime).executeDueSteps(now)`. `options.riskParams`: spec §6's
 * parameters laid over the defaults, as the engine runs with them.
 */
export async function startTestRuntime(
  db: TestDatabase, env: Record<string, string> = {}, insuranceFund = "0", options: RuntimeOptions = {},
): Promise<Runtime> {
  await seedDatabase(db.prisma, insuranceFund === "0" ? undefined : insuranceFund);
  return Runtime.create(testConfig(env), createLogger("silent"), db.prisma, options);
}

/** The configuration `startTestRuntime` runs with (execution, simulator and snapshots off unless `env` says otherwise). */
export function testConfig(env: Record<string, string> = {}): Env {
  return parseEnv({ LIQDESK_EXECUTION: "off", LIQDESK_SIMULATOR: "off", LIQDESK_SNAPSHOT_MS: "3600000", ...env });
}

/**
 * The runtime's engine, for tests that drive it (the executor with their own clock, the engine's
 * raw reads). The engine is private to the runtime and its services: routes and pages call the
 * services; this is the one place tests reach past them (TypeScript's index access to a private member).
 */
export function engineOf(runtime: Runtime): LiveEngine {
  return runtime["engine"];
}

/** The runtime's desk stream, for a test that collects its deltas without the socket feeds. */
export function deskStreamOf(runtime: Runtime): DeskStream {
  return runtime["deskStream"];
}

let lastTs = 0;
/** A price timestamp later than every one handed out before: each tick is newer than the last. */
export function nextTs(): number {
  lastTs = Math.max(Date.now(), lastTs + 1);
  return lastTs;
}

/** Prices from three sources at once, so that the mark is exactly `price` and fresh. */
export async function setMark(runtime: Runtime, marketId: string, price: number, ts = nextTs()): Promise<void> {
  for (const source of ["src-a", "src-b", "src-c"]) await runtime.services.ingest.prices({ source, ticks: [{ marketId, price, ts }] });
}

/**
 * Waits until the engine has applied everything sent so far. A query does not wait for marks still
 * pending in the worker (they are applied one market per turn), so a summary asked for right after
 * an ingest could be answered before its mark (a loaded fresh-clone run read an empty queue so): an
 * empty price batch is answered once every market pending at its arrival has been applied.
 */
export async function engineSettled(runtime: Runtime): Promise<void> {
  await engineOf(runtime).client.applyPrices([]);
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
