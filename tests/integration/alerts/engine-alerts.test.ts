import { describe, expect, it } from "vitest";
import type { Runtime } from "@/lib/server/runtime";
import { engineSettled, perTestRuntime, setMark, startTestRuntime } from "../../support/test-runtime";
import type { TestDatabase } from "../../support/test-database";

/**
 * Alert rules evaluated in the live engine (docs/alerts-engine.md), against PostgreSQL: the
 * default rules seeded at start. An account of 700 USD holding 0.8 BTC entered at 60,300: at a mark
 * of 60,000 its equity is 460 and MM 192 (healthy); at 59,625 its equity is 160 and MM 190.8:
 * liquidatable (above the backstop line, 2/3 of MM).
 */
const HEALTHY = 60000;
const LIQUIDATABLE = 59625;

async function openAccount(runtime: Runtime, id: string, collateral = "700", qty = 0.8, entryPrice = 60300) {
  await runtime.services.ingest.collateral({ entries: [{ accountId: id, amount: collateral, kind: "deposit", idempotencyKey: `dep:${id}` }] });
  await runtime.services.ingest.positions({ source: "venue", updates: [{ accountId: id, marketId: "BTC-PERP", qty, entryPrice, seq: 1 }] });
}

/**
 * The default status rules wait 5 s before they raise and a minute before they resolve
 * (default-rules.ts); these tests are about the engine's evaluation, so its status rules raise and
 * resolve at once (stored: a restart keeps it).
 */
async function immediateStatusRules(runtime: Runtime, prisma: TestDatabase["prisma"]): Promise<void> {
  await prisma.$executeRaw`UPDATE alert_rules SET params = params || '{"minDurationMs": 0, "clearAfterMs": 0}'::jsonb WHERE kind = 'status_enter'`;
  await runtime.alertsEngine.reloadAlertRules();
}

/** Waits (up to `ms`) until `check` returns something other than undefined/false. */
async function waitFor<T>(check: () => Promise<T>, what: string, ms = 10_000): Promise<NonNullable<T>> {
  const end = Date.now() + ms;
  for (;;) {
    const got = await check();
    if (got) return got as NonNullable<T>;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Every signal the engine has produced so far is written. */
async function alertsSettled(runtime: Runtime): Promise<void> {
  await engineSettled(runtime);
  await runtime.alertsEngine.flush();
}

describe("alert rules in the live engine", () => {
  const t = perTestRuntime();
  const alertsOf = (ruleId: string, subject: string) => t.db.prisma.alert.findMany({ where: { ruleId, subject }, orderBy: { id: "asc" } });

  it("a price move into liquidatable raises one alert, further ticks do not double it, the move back resolves it", async () => {
    t.runtime = await startTestRuntime(t.db);
    await immediateStatusRules(t.runtime, t.db.prisma);
    await setMark(t.runtime, "BTC-PERP", HEALTHY);
    await openAccount(t.runtime, "a1");
    await alertsSettled(t.runtime);
    expect(await t.db.prisma.alert.count({ where: { subject: { startsWith: "account:" } } })).toBe(0); // (markets never priced are stale: their alerts are not the engine's)

    await setMark(t.runtime, "BTC-PERP", LIQUIDATABLE);
    const [raised] = await waitFor(async () => {
      const rows = await alertsOf("status-liquidatable", "account:a1");
      return rows.length > 0 ? rows : undefined;
    }, "the liquidatable alert");
    expect(raised).toMatchObject({ state: "open", accountId: "a1", severity: "warning" });
    expect(raised!.message).toBe("status liquidatable (liquidatable or worse); margin ratio 119.3%, equity 160.00 USD"); // 190.8 / 160
    expect(raised!.value).toBeCloseTo(190.8 / 160, 9);
    for (const p of [LIQUIDATABLE - 10, LIQUIDATABLE + 5, LIQUIDATABLE]) await setMark(t.runtime, "BTC-PERP", p);
    await alertsSettled(t.runtime);
    expect(await alertsOf("status-liquidatable", "account:a1")).toHaveLength(1);
    expect(await alertsOf("status-backstop", "account:a1")).toHaveLength(0);

    await setMark(t.runtime, "BTC-PERP", HEALTHY);
    const resolved = await waitFor(async () => (await alertsOf("status-liquidatable", "account:a1")).find((a) => a.state === "resolved"), "the resolution");
    expect(resolved).toMatchObject({ id: raised!.id, resolvedBy: "system" });
    expect(await alertsOf("status-liquidatable", "account:a1")).toHaveLength(1);
    const events = await t.db.prisma.alertEvent.findMany({ where: { alertId: raised!.id }, orderBy: { id: "asc" } });
    expect(events.map((e) => e.kind)).toEqual(["raised", "resolved"]);
  });

  it("a rule added and reloaded is evaluated at once; its minimum duration ends with no further tick and raises", async () => {
    t.runtime = await startTestRuntime(t.db);
    await setMark(t.runtime, "BTC-PERP", HEALTHY);
    await openAccount(t.runtime, "a1");
    await openAccount(t.runtime, "listed");
    await t.db.prisma.alertRule.create({
      data: { id: "ratio-30", name: "ratio 30% for 400 ms", kind: "ratio_above", severity: "info", params: { threshold: 0.3, minDurationMs: 400 }, scope: "accounts", accountIds: ["listed"] },
    });
    const t0 = Date.now();
    expect(await t.runtime.alertsEngine.reloadAlertRules()).toEqual({ rules: 8 }); // the seven default engine rules, and this one
    // "listed" is at 41.7% ≥ 30% since the reload; "a1" is not in the rule's scope.
    const [alert] = await waitFor(async () => {
      const rows = await alertsOf("ratio-30", "account:listed");
      return rows.length > 0 ? rows : undefined;
    }, "the ratio alert", 5000);
    expect(alert!.raisedAt.getTime()).toBeGreaterThanOrEqual(t0 + 400);
    expect(alert!.message).toBe("margin ratio 41.8% ≥ 30.0%");
    expect(await alertsOf("ratio-30", "account:a1")).toHaveLength(0);
  });

  it("a batch the database refuses is tried again until it is written, and the batches behind it wait in order", async () => {
    t.runtime = await startTestRuntime(t.db);
    await immediateStatusRules(t.runtime, t.db.prisma);
    await setMark(t.runtime, "BTC-PERP", HEALTHY);
    await openAccount(t.runtime, "a1");
    await alertsSettled(t.runtime);
    await t.db.prisma.$executeRawUnsafe(`ALTER TABLE alerts RENAME TO alerts_away`);
    try {
      await setMark(t.runtime, "BTC-PERP", LIQUIDATABLE); // raise: its write fails
      await engineSettled(t.runtime);
      await new Promise((r) => setTimeout(r, 200));
      await setMark(t.runtime, "BTC-PERP", HEALTHY); // clear: queued behind it
      await engineSettled(t.runtime);
      await waitFor(async () => t.runtime!.alertsEngine.backlog >= 2, "both batches waiting");
      await new Promise((r) => setTimeout(r, 500));
    } finally {
      await t.db.prisma.$executeRawUnsafe(`ALTER TABLE alerts_away RENAME TO alerts`);
    }
    await t.runtime.alertsEngine.idle();
    expect(t.runtime.alertsEngine.backlog).toBe(0);
    const rows = await alertsOf("status-liquidatable", "account:a1");
    expect(rows.map((a) => a.state)).toEqual(["resolved"]);
  });

  it("restart: what cleared while stopped resolves, what still holds is neither doubled nor lost, a lost write is raised again", async () => {
    t.runtime = await startTestRuntime(t.db);
    await immediateStatusRules(t.runtime, t.db.prisma);
    await setMark(t.runtime, "BTC-PERP", HEALTHY);
    for (const id of ["cleared", "held", "lost"]) await openAccount(t.runtime, id);
    await setMark(t.runtime, "BTC-PERP", LIQUIDATABLE);
    await alertsSettled(t.runtime);
    for (const id of ["cleared", "held", "lost"]) expect(await alertsOf("status-liquidatable", `account:${id}`)).toHaveLength(1);
    await t.runtime.stop();
    t.runtime = null;

    // While no engine runs: "cleared" is topped up in the database; the write of "lost"'s alert never happened.
    await t.db.prisma.account.update({ where: { id: "cleared" }, data: { collateral: "100000" } });
    const lost = (await alertsOf("status-liquidatable", "account:lost"))[0]!;
    await t.db.prisma.alertEvent.deleteMany({ where: { alertId: lost.id } });
    await t.db.prisma.alert.delete({ where: { id: lost.id } });

    t.runtime = await startTestRuntime(t.db);
    await alertsSettled(t.runtime);
    const cleared = await alertsOf("status-liquidatable", "account:cleared");
    expect(cleared.map((a) => [a.state, a.resolvedBy])).toEqual([["resolved", "system"]]);
    const held = await alertsOf("status-liquidatable", "account:held");
    expect(held.map((a) => a.state)).toEqual(["open"]);
    expect(await alertsOf("status-liquidatable", "account:lost")).toHaveLength(1);
    expect(await t.db.prisma.alertEvent.count({ where: { alertId: held[0]!.id } })).toBe(1);

    // And the restarted engine goes on: back to healthy resolves the two still open.
    await setMark(t.runtime, "BTC-PERP", HEALTHY);
    await alertsSettled(t.runtime);
    expect(await t.db.prisma.alert.count({ where: { ruleId: "status-liquidatable", state: { not: "resolved" } } })).toBe(0);
  });
});
