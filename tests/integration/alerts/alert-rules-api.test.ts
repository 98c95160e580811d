import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRouteHarness, type CallOptions, type RouteHarness, type RouteName } from "../../support/route-harness";

/**
 * The rules API (issue 17, items 1 and 8): every bad rule refused with a 400 naming the field and
 * nothing saved (the rules and the audit log as they were); good changes audited with before and
 * after; the system's rules neither added, deleted nor changed in kind; traders refused everywhere.
 */
describe("alert rules API", () => {
  let h: RouteHarness;
  beforeAll(async () => {
    h = await startRouteHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  /** What a refused request must leave as it was: every rule as stored, and the audit log's count. */
  const rulesState = async () => ({
    rules: await h.db.prisma.alertRule.findMany({ orderBy: { id: "asc" } }),
    audit: await h.db.prisma.auditLog.count({ where: { action: { startsWith: "alert_rule." } } }),
  });

  async function refused(route: RouteName, opts: CallOptions, path: string, message?: RegExp): Promise<void> {
    const before = await rulesState();
    const res = await h.call(route, opts);
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(400);
    expect(body.error.code).toBe("invalid_input");
    const field = body.error.fields.find((f: { path: string }) => f.path === path);
    expect(field, JSON.stringify(body.error.fields)).toBeDefined();
    if (message) expect(field.message).toMatch(message);
    expect(await rulesState()).toEqual(before);
  }

  const ratio = { name: "ratio 95", kind: "ratio_above", severity: "warning", params: { threshold: 0.95, hysteresis: 0.05 } };

  it.each([
    ["an unknown kind", { ...ratio, kind: "price_spike" }, "kind", /must be one of status_enter/],
    ["a threshold above the range", { ...ratio, params: { threshold: 150 } }, "params.threshold", /at most 100/],
    ["a threshold of 0", { ...ratio, params: { threshold: 0 } }, "params.threshold", /above 0/],
    ["a threshold that is not a number", { ...ratio, params: { threshold: "0.9" } }, "params.threshold", /must be a margin ratio \(got "0.9"\)/],
    ["a hysteresis as large as its threshold", { ...ratio, params: { threshold: 0.5, hysteresis: 0.5 } }, "params.hysteresis", /smaller than the threshold \(0.5\)/],
    ["a hysteresis larger than its threshold", { ...ratio, params: { threshold: 0.5, hysteresis: 0.8 } }, "params.hysteresis", /smaller than the threshold/],
    ["a negative hysteresis", { ...ratio, params: { threshold: 0.5, hysteresis: -0.1 } }, "params.hysteresis", /at least 0/],
    ["a minimum duration over a day", { ...ratio, params: { threshold: 0.9, minDurationMs: 86_400_001 } }, "params.minDurationMs", /at most 86400000/],
    ["a parameter the kind does not have", { ...ratio, params: { threshold: 0.9, treshold: 0.8 } }, "params", /treshold/],
    ["a fund runway threshold above 50%", { name: "fund", kind: "fund_runway_below", severity: "critical", params: { threshold: 0.9 } }, "params.threshold", /at most 0.5/],
    ["a queue notional of 0", { name: "q", kind: "queue_notional_above", severity: "warning", params: { threshold: 0 } }, "params.threshold", /above 0/],
    ["a status_enter rule for healthy", { name: "s", kind: "status_enter", severity: "info", params: { status: "healthy" } }, "params.status", /warning, liquidatable/],
    ["a market scope without a market", { ...ratio, scope: "market" }, "marketId", /is required/],
    ["a market scope with an unknown market", { ...ratio, scope: "market", marketId: "NOPE-PERP" }, "marketId", /no market "NOPE-PERP"/],
    ["a market named without a market scope", { ...ratio, marketId: "BTC-PERP" }, "marketId", /only a rule scoped to a market/],
    ["an accounts scope with an empty list", { ...ratio, scope: "accounts", accountIds: [] }, "accountIds", /at least one account/],
    ["an accounts scope with no list", { ...ratio, scope: "accounts" }, "accountIds", /at least one account/],
    ["an accounts scope of 1,001 accounts", { ...ratio, scope: "accounts", accountIds: Array.from({ length: 1001 }, (_, i) => `a${i}`) }, "accountIds", /at most 1000/],
    ["an account id with a control character", { ...ratio, scope: "accounts", accountIds: ["ok", "bad\u0001"] }, "accountIds[1]", /control characters/],
    ["a market rule scoped to accounts", { name: "m", kind: "market_stale", severity: "critical", scope: "accounts", accountIds: ["a1"] }, "scope", /"all" or "market" for a market_stale rule/],
    ["a fund rule scoped to a market", { name: "f", kind: "fund_runway_below", severity: "critical", params: { threshold: 0.1 }, scope: "market", marketId: "BTC-PERP" }, "scope", /"all"/],
    ["a system kind", { name: "mc", kind: "margin_call_expired", severity: "warning" }, "kind", /raised by the system/],
    ["an empty name", { ...ratio, name: "" }, "name", /must not be empty/],
    ["an unknown severity", { ...ratio, severity: "urgent" }, "severity", /info, warning, critical/],
    ["an unknown field", { ...ratio, colour: "red" }, "(body)", /colour/],
  ])("POST refuses %s", async (_what, json, path, message) => {
    await refused("POST /api/v1/alert-rules", { json }, path, message);
  });

  it("a __proto__ parameter is refused by name, never dropped unseen (POST and PATCH)", async () => {
    const headers = { "content-type": "application/json" };
    await refused("POST /api/v1/alert-rules", { headers, body: '{"name":"p","kind":"ratio_above","severity":"info","params":{"threshold":0.9,"__proto__":{"x":1}}}' }, "params", /__proto__/);
    await refused("PATCH /api/v1/alert-rules/[id]", { params: { id: "ratio-90" }, headers, body: '{"params":{"__proto__":{"threshold":5}}}' }, "params", /__proto__/);
    expect(({} as Record<string, unknown>).threshold).toBeUndefined();
  });

  it("POST adds a rule with its defaults filled, audited; GET lists it", async () => {
    const res = await h.call("POST /api/v1/alert-rules", { json: { name: "BTC stale 30 s", kind: "market_stale", severity: "warning", scope: "market", marketId: "BTC-PERP", params: { minDurationMs: 30_000 } } });
    expect(res.status).toBe(201);
    const rule = await res.json();
    expect(rule).toMatchObject({ name: "BTC stale 30 s", kind: "market_stale", scope: "market", marketId: "BTC-PERP", params: { minDurationMs: 30_000 }, enabled: true, system: false });
    expect(rule.id).toMatch(/^rule-[0-9a-f]{10}$/);
    const listed = await (await h.call("GET /api/v1/alert-rules")).json();
    expect(listed.map((r: { id: string }) => r.id)).toContain(rule.id);
    const audit = await h.db.prisma.auditLog.findFirstOrThrow({ where: { action: "alert_rule.create" }, orderBy: { id: "desc" }, include: { user: true } });
    expect(audit.user?.email).toBe("desk@h.test");
    expect(audit.details).toMatchObject({ ruleId: rule.id, after: { kind: "market_stale", marketId: "BTC-PERP", params: { minDurationMs: 30_000 } } });

    const ids = await (await h.call("POST /api/v1/alert-rules", { json: { ...ratio, scope: "accounts", accountIds: ["x1", "x2", "x1"] } })).json();
    expect(ids.accountIds).toEqual(["x1", "x2"]);
  });

  it.each([
    ["a kind change", "ratio-90", { kind: "status_enter" }, "kind", /cannot be changed/],
    ["an unknown kind named", "ratio-90", { kind: "nope" }, "kind", /must be one of/],
    ["a threshold below the rule's hysteresis", "ratio-90", { params: { threshold: 0.04 } }, "params.hysteresis", /smaller than the threshold \(0.04\)/],
    ["a hysteresis above the rule's threshold", "ratio-90", { params: { hysteresis: 2 } }, "params.hysteresis", /smaller than the threshold \(0.9\)/],
    ["a threshold out of range", "ratio-90", { params: { threshold: 101 } }, "params.threshold", /at most 100/],
    ["a scope of accounts without accounts", "ratio-90", { scope: "accounts" }, "accountIds", /at least one account/],
    ["a scope of a market without a market", "ratio-90", { scope: "market" }, "marketId", /is required/],
    ["parameters on a system rule", "margin-call-expired", { params: { threshold: 1 } }, "params", /threshold/],
    ["a system rule's kind", "webhook-disabled", { kind: "market_stale" }, "kind", /cannot be changed/],
    ["nothing to change", "ratio-90", {}, "(body)", /at least one field/],
    ["enabled that is not a boolean", "ratio-90", { enabled: "no" }, "enabled", /true or false/],
  ])("PATCH refuses %s", async (_what, id, json, path, message) => {
    await refused("PATCH /api/v1/alert-rules/[id]", { params: { id }, json }, path, message);
  });

  it("PATCH changes the named fields (params laid over the rule's), audited with before and after", async () => {
    const res = await h.call("PATCH /api/v1/alert-rules/[id]", { params: { id: "ratio-90" }, json: { severity: "critical", params: { threshold: 0.95 } } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: "ratio-90", severity: "critical", params: { threshold: 0.95, hysteresis: 0.05, minDurationMs: 5000 } });
    const audit = await h.db.prisma.auditLog.findFirstOrThrow({ where: { action: "alert_rule.update" }, orderBy: { id: "desc" } });
    expect(audit.details).toMatchObject({
      ruleId: "ratio-90",
      before: { severity: "warning", params: { threshold: 0.9 } },
      after: { severity: "critical", params: { threshold: 0.95 } },
    });
    // A system rule's severity and switch may change.
    const sys = await h.call("PATCH /api/v1/alert-rules/[id]", { params: { id: "webhook-disabled" }, json: { severity: "critical" } });
    expect(sys.status).toBe(200);
    // Unknown rule: 404.
    expect((await h.call("PATCH /api/v1/alert-rules/[id]", { params: { id: "nope" }, json: { enabled: false } })).status).toBe(404);
  });

  it("disabling a rule resolves its unresolved alerts, by the desk user, each with its event and audit entry", async () => {
    const at = Date.now();
    await h.runtime.services.alerts.apply([
      { ruleId: "status-warning", subject: "account:dis-1", raise: true, at, accountId: "dis-1", message: "in warning" },
      { ruleId: "status-warning", subject: "account:dis-2", raise: true, at, accountId: "dis-2", message: "in warning" },
    ]);
    const res = await h.call("PATCH /api/v1/alert-rules/[id]", { params: { id: "status-warning" }, json: { enabled: false } });
    expect(res.status).toBe(200);
    const alerts = await h.db.prisma.alert.findMany({ where: { ruleId: "status-warning", subject: { startsWith: "account:dis-" } }, include: { events: true } });
    expect(alerts).toHaveLength(2);
    const desk = await h.db.prisma.user.findUniqueOrThrow({ where: { email: "desk@h.test" } });
    for (const a of alerts) {
      expect(a).toMatchObject({ state: "resolved", resolvedBy: desk.id, resolveNote: "the rule was disabled" });
      expect(a.events.map((e) => [e.kind, e.actor])).toEqual([["raised", "system"], ["resolved", `user:${desk.id}`]]);
    }
    expect(await h.db.prisma.auditLog.count({ where: { action: "alert.resolve", userId: desk.id, accountId: { in: ["dis-1", "dis-2"] } } })).toBe(2);
    // Off, it raises nothing.
    const off = await h.runtime.services.alerts.apply([{ ruleId: "status-warning", subject: "account:dis-3", raise: true, at, accountId: "dis-3" }]);
    expect(off.raised).toEqual([]);
  });

  it("DELETE removes a rule the desk added (audited); a system rule or one with alerts: 409, nothing changed", async () => {
    const made = await (await h.call("POST /api/v1/alert-rules", { json: { name: "to delete", kind: "negative_collateral", severity: "info" } })).json();
    const del = await h.call("DELETE /api/v1/alert-rules/[id]", { params: { id: made.id } });
    expect(del.status).toBe(200);
    expect(await h.db.prisma.alertRule.findUnique({ where: { id: made.id } })).toBeNull();
    expect(await h.db.prisma.auditLog.findFirst({ where: { action: "alert_rule.delete" }, orderBy: { id: "desc" } })).toMatchObject({ details: { ruleId: made.id, before: { name: "to delete" } } });

    const before = await rulesState();
    const sys = await h.call("DELETE /api/v1/alert-rules/[id]", { params: { id: "margin-call-expired" } });
    expect(sys.status).toBe(409);
    expect((await sys.json()).error.message).toMatch(/the system's own/);
    const used = await h.call("DELETE /api/v1/alert-rules/[id]", { params: { id: "status-warning" } });
    expect(used.status).toBe(409);
    expect((await used.json()).error.message).toMatch(/has raised 2 alerts.*disable it instead/);
    expect(await rulesState()).toEqual(before);
    expect((await h.call("DELETE /api/v1/alert-rules/[id]", { params: { id: "nope" } })).status).toBe(404);
  });

  it("a trader is refused every alert and rule route (403), and nothing changes", async () => {
    const [alert] = (await h.runtime.services.alerts.apply([{ ruleId: "status-liquidatable", subject: "account:tr-1", raise: true, at: Date.now(), accountId: "tr-1" }])).raised;
    const before = await rulesState();
    const calls: [RouteName, CallOptions][] = [
      ["GET /api/v1/alerts", {}],
      ["GET /api/v1/alerts/counts", {}],
      ["GET /api/v1/alerts/[id]", { params: { id: alert!.id } }],
      ["POST /api/v1/alerts/[id]/acknowledge", { params: { id: alert!.id }, json: {} }],
      ["POST /api/v1/alerts/[id]/resolve", { params: { id: alert!.id }, json: { note: "x" } }],
      ["POST /api/v1/alerts/[id]/snooze", { params: { id: alert!.id }, json: { until: Date.now() + 60_000 } }],
      ["POST /api/v1/alerts/[id]/assign", { params: { id: alert!.id }, json: { assigneeId: null } }],
      ["GET /api/v1/alert-rules", {}],
      ["POST /api/v1/alert-rules", { json: ratio }],
      ["PATCH /api/v1/alert-rules/[id]", { params: { id: "ratio-90" }, json: { enabled: false } }],
      ["DELETE /api/v1/alert-rules/[id]", { params: { id: "ratio-90" } }],
    ];
    for (const [route, opts] of calls) {
      const res = await h.call(route, { ...opts, as: "trader" });
      expect(res.status, route).toBe(403);
      expect((await h.call(route, { ...opts, as: "none" })).status, route).toBe(401);
    }
    expect(await rulesState()).toEqual(before);
    expect(await h.db.prisma.alert.findUniqueOrThrow({ where: { id: BigInt(alert!.id) } })).toMatchObject({ state: "open", assigneeId: null, snoozedUntil: null });
  });
});
