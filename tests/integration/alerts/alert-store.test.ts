import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyAlertSignals } from "@/lib/server/alerts/alert-store";
import { seedAlertRules } from "@/lib/server/alerts/default-rules";
import type { AlertSignal } from "@/lib/contracts/alerts";
import { createTestDatabase, type TestDatabase } from "../../support/test-database";

const raise = (subject: string, at: number, ruleId = "status-liquidatable"): AlertSignal => ({
  ruleId, subject, raise: true, at, accountId: subject.replace("account:", ""), value: 1.1, message: "margin ratio 110% ≥ 100%",
});
const clear = (subject: string, at: number, ruleId = "status-liquidatable"): AlertSignal => ({ ruleId, subject, raise: false, at });

describe("applyAlertSignals: one unresolved alert per rule and subject", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    await seedAlertRules(db.prisma);
  });
  afterAll(async () => {
    await db?.drop();
  });

  it("opens once however often the raise comes, resolves on clear, audits and logs every transition", async () => {
    const t0 = Date.parse("2026-12-07T12:00:00Z");
    const first = await applyAlertSignals(db.prisma, [raise("account:a1", t0), raise("account:a2", t0)]);
    expect(first.raised.map((r) => r.subject).sort()).toEqual(["account:a1", "account:a2"]);
    // Retried batch, a second instance, a restart: nothing doubles.
    const again = await Promise.all([applyAlertSignals(db.prisma, [raise("account:a1", t0 + 1)]), applyAlertSignals(db.prisma, [raise("account:a1", t0 + 2)])]);
    expect(again.flatMap((t) => t.raised)).toEqual([]);
    expect(await db.prisma.alert.count({ where: { subject: "account:a1" } })).toBe(1);

    const cleared = await applyAlertSignals(db.prisma, [clear("account:a1", t0 + 10)]);
    expect(cleared.resolved).toEqual([{ id: first.raised.find((r) => r.subject === "account:a1")!.id, ruleId: "status-liquidatable", subject: "account:a1" }]);
    const a1 = await db.prisma.alert.findFirstOrThrow({ where: { subject: "account:a1" } });
    expect(a1).toMatchObject({ state: "resolved", resolvedBy: "system", severity: "warning", accountId: "a1", value: 1.1 });
    expect(a1.resolvedAt?.getTime()).toBe(t0 + 10);

    // Raised again after it resolved: a new alert.
    const reopened = await applyAlertSignals(db.prisma, [raise("account:a1", t0 + 20)]);
    expect(reopened.raised).toHaveLength(1);
    expect(await db.prisma.alert.count({ where: { subject: "account:a1" } })).toBe(2);

    const events = await db.prisma.alertEvent.findMany({ where: { alertId: a1.id }, orderBy: { id: "asc" } });
    expect(events.map((e) => [e.kind, e.actor])).toEqual([["raised", "system"], ["resolved", "system"]]);
    const audit = await db.prisma.auditLog.findMany({ where: { action: { startsWith: "alert." } } });
    expect(audit.map((e) => e.action).sort()).toEqual(["alert.raise", "alert.raise", "alert.raise", "alert.resolve"]);
  });

  it("the last signal of a batch per rule and subject counts; a disabled rule raises nothing", async () => {
    const t0 = Date.parse("2026-12-07T13:00:00Z");
    const t = await applyAlertSignals(db.prisma, [raise("account:b1", t0), clear("account:b1", t0 + 1), clear("account:b2", t0), raise("account:b2", t0 + 1)]);
    expect(t.raised.map((r) => r.subject)).toEqual(["account:b2"]);
    await db.prisma.alertRule.update({ where: { id: "status-backstop" }, data: { enabled: false } });
    const off = await applyAlertSignals(db.prisma, [raise("account:b3", t0, "status-backstop")]);
    expect(off.raised).toEqual([]);
  });

  it("10,000 raises in one batch open 10,000 alerts, each with its event and audit entry", async () => {
    const t0 = Date.parse("2026-12-07T14:00:00Z");
    const many = Array.from({ length: 10_000 }, (_, i) => raise(`account:m${i}`, t0, "status-warning"));
    const t = await applyAlertSignals(db.prisma, many);
    expect(t.raised).toHaveLength(10_000);
    const ids = t.raised.map((r) => BigInt(r.id));
    expect(await db.prisma.alertEvent.count({ where: { alertId: { in: ids } } })).toBe(10_000);
    expect(await db.prisma.auditLog.count({ where: { action: "alert.raise", accountId: { startsWith: "m" } } })).toBe(10_000);
  });
});
