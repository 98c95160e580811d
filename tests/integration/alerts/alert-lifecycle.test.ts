import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { AlertCounts, AlertDetail, AlertPage, AlertsChange, AlertSignal, AlertView } from "@/lib/contracts/alerts";
import { createUser } from "@/lib/server/auth/users";
import { startRouteHarness, type RouteHarness } from "../../support/route-harness";

/**
 * The alert lifecycle (issue 17, item 2) through the routes: open → acknowledged → resolved,
 * snooze, assign, each a guarded transition with its event and audit entry, refused with 409
 * when the state does not allow it (nothing written); the inbox's filters and counts; every
 * change pushed to the desk's room with the counts after it.
 */
describe("alert lifecycle", () => {
  let h: RouteHarness;
  let deskId: string;
  let otherDesk: string;
  let traderId: string;
  const pushes: AlertsChange[] = [];

  beforeAll(async () => {
    h = await startRouteHarness();
    deskId = (await h.db.prisma.user.findUniqueOrThrow({ where: { email: "desk@h.test" } })).id;
    traderId = (await h.db.prisma.user.findUniqueOrThrow({ where: { email: "trader@h.test" } })).id;
    otherDesk = (await createUser(h.db.prisma, { email: "desk2@h.test", name: "Desk two", role: "desk", accountIds: [], password: "desk-two-password" })).id;
    h.runtime.services.alerts.attach((c) => pushes.push(c));
  });
  afterAll(async () => {
    await h?.stop();
  });

  const raise = (subject: string, ruleId = "status-liquidatable", at = Date.now()): AlertSignal =>
    ({ ruleId, subject, raise: true, at, accountId: subject.replace("account:", ""), value: 1.2, message: `${subject}: margin ratio 120% ≥ 100%` });
  async function raised(subject: string, ruleId?: string): Promise<string> {
    const t = await h.runtime.services.alerts.apply([raise(subject, ruleId)]);
    expect(t.raised).toHaveLength(1);
    return t.raised[0]!.id;
  }
  const post = async (action: "acknowledge" | "resolve" | "snooze" | "assign", id: string, json: unknown) => {
    const res = await h.call(`POST /api/v1/alerts/[id]/${action}`, { params: { id }, json });
    return { status: res.status, body: await res.json() };
  };
  const written = async (id: string) => ({
    alert: await h.db.prisma.alert.findUniqueOrThrow({ where: { id: BigInt(id) } }),
    events: await h.db.prisma.alertEvent.count({ where: { alertId: BigInt(id) } }),
    audit: await h.db.prisma.auditLog.count({ where: { action: { startsWith: "alert." }, details: { path: ["alertId"], equals: id } } }),
  });
  const counts = async (): Promise<AlertCounts> => (await h.call("GET /api/v1/alerts/counts")).json();

  it("acknowledge (with who, when, note), then resolve with a note: each with its event and audit entry; 409 after", async () => {
    const id = await raised("account:lc-1");
    const ack = await post("acknowledge", id, { note: "calling the trader" });
    expect(ack.status).toBe(200);
    expect(ack.body as AlertView).toMatchObject({ id, state: "acknowledged", acknowledgedBy: deskId, ackNote: "calling the trader" });
    expect(Date.now() - ack.body.acknowledgedAt).toBeLessThan(10_000);

    const before = await written(id);
    const again = await post("acknowledge", id, {});
    expect(again.status).toBe(409);
    expect(again.body.error.message).toMatch(new RegExp(`alert ${id} was acknowledged already, by desk@h.test at`));
    expect(await written(id)).toEqual(before);

    const noNote = await post("resolve", id, { note: "  " });
    expect(noNote.status).toBe(400);
    expect(noNote.body.error.fields[0]).toMatchObject({ path: "note", message: expect.stringMatching(/say why/) });
    const res = await post("resolve", id, { note: "topped up by the trader" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ state: "resolved", resolvedBy: deskId, resolveNote: "topped up by the trader" });

    const done = await written(id);
    for (const [action, body] of [["acknowledge", {}], ["resolve", { note: "again" }], ["snooze", { until: Date.now() + 60_000 }], ["assign", { assigneeId: otherDesk }]] as const) {
      const r = await post(action, id, body);
      expect(r.status, action).toBe(409);
      expect(r.body.error.message).toMatch(new RegExp(`alert ${id} is resolved \\(by desk@h.test at .* UTC: topped up by the trader\\)`));
    }
    expect(await written(id)).toEqual(done);

    const detail = (await (await h.call("GET /api/v1/alerts/[id]", { params: { id } })).json()) as AlertDetail;
    expect(detail.rule.id).toBe("status-liquidatable");
    expect(detail.events.map((e) => [e.kind, e.actor, e.note])).toEqual([
      ["raised", "system", null],
      ["acknowledged", `user:${deskId}`, "calling the trader"],
      ["resolved", `user:${deskId}`, "topped up by the trader"],
    ]);
    const audit = await h.db.prisma.auditLog.findMany({ where: { details: { path: ["alertId"], equals: id } }, orderBy: { id: "asc" } });
    expect(audit.map((a) => [a.action, a.actor, a.userId, a.accountId])).toEqual([
      ["alert.raise", "system", null, "lc-1"],
      ["alert.acknowledge", `user:${deskId}`, deskId, "lc-1"],
      ["alert.resolve", `user:${deskId}`, deskId, "lc-1"],
    ]);
  });

  it("the condition clearing resolves it by the system; acknowledging it then is a 409 that says so", async () => {
    const id = await raised("account:lc-2");
    const cleared = await h.runtime.services.alerts.apply([{ ruleId: "status-liquidatable", subject: "account:lc-2", raise: false, at: Date.now() }]);
    expect(cleared.resolved.map((r) => r.id)).toEqual([id]);
    const r = await post("acknowledge", id, {});
    expect(r.status).toBe(409);
    expect(r.body.error.message).toMatch(/is resolved \(by the system at .* UTC: the condition cleared\): there is nothing to acknowledge/);
  });

  it("snooze: in the future and at most 7 days (400 naming until), out of the count until then, ended with null", async () => {
    const id = await raised("account:lc-3", "status-bankrupt");
    const c0 = await counts();
    const before = await written(id);
    for (const [until, message] of [[Date.now() - 1000, /must be in the future/], [Date.now() + 8 * 86_400_000, /at most 7 days ahead/]] as const) {
      const r = await post("snooze", id, { until });
      expect(r.status).toBe(400);
      expect(r.body.error.fields).toEqual([{ path: "until", message: expect.stringMatching(message) }]);
    }
    const notNumber = await post("snooze", id, { until: "tomorrow" });
    expect(notNumber.body.error.fields[0]).toMatchObject({ path: "until", message: expect.stringMatching(/epoch milliseconds/) });
    const noSnooze = await post("snooze", id, { until: null });
    expect(noSnooze.status).toBe(409);
    expect(noSnooze.body.error.message).toMatch(/is not snoozed/);
    expect(await written(id)).toEqual(before);

    const until = Date.now() + 1500;
    const s = await post("snooze", id, { until, note: "waiting for the deposit" });
    expect(s.status).toBe(200);
    expect(s.body.snoozedUntil).toBe(until);
    const c1 = await counts();
    expect(c1.attention.critical).toBe(c0.attention.critical - 1);
    expect(c1.snoozed).toBe(c0.snoozed + 1);
    const snoozedList = (await (await h.call("GET /api/v1/alerts", { query: "?snoozed=true" })).json()) as AlertPage;
    expect(snoozedList.items.map((a) => a.id)).toContain(id);
    // When the snooze ends it counts again, and a push says so without any other change.
    const pushed = pushes.length;
    await expect.poll(async () => (await counts()).attention.critical, { timeout: 5000 }).toBe(c0.attention.critical);
    await expect.poll(() => pushes.slice(pushed).some((p) => p.counts.attention.critical === c0.attention.critical), { timeout: 5000 }).toBe(true);

    await post("snooze", id, { until: Date.now() + 3_600_000 });
    const end = await post("snooze", id, { until: null });
    expect(end.status).toBe(200);
    expect(end.body.snoozedUntil).toBeNull();
    const events = await h.db.prisma.alertEvent.findMany({ where: { alertId: BigInt(id), kind: "snoozed" }, orderBy: { id: "asc" } });
    expect(events.map((e) => e.note)).toEqual([`until ${new Date(until).toISOString()}: waiting for the deposit`, expect.stringMatching(/^until /), "snooze ended"]);
  });

  it("assign: to a desk user or nobody; a trader or an unknown user is a 400 naming assigneeId; the same one twice a 409", async () => {
    const id = await raised("account:lc-4");
    const before = await written(id);
    for (const [assigneeId, message] of [[traderId, /trader@h.test is a trader/], ["no-such-user", /no user "no-such-user"/]] as const) {
      const r = await post("assign", id, { assigneeId });
      expect(r.status).toBe(400);
      expect(r.body.error.fields).toEqual([{ path: "assigneeId", message: expect.stringMatching(message) }]);
    }
    expect((await post("assign", id, { assigneeId: null })).status).toBe(409);
    expect(await written(id)).toEqual(before);
    const a = await post("assign", id, { assigneeId: otherDesk, note: "yours" });
    expect(a.status).toBe(200);
    expect(a.body.assignee).toBe(otherDesk);
    const twice = await post("assign", id, { assigneeId: otherDesk });
    expect(twice.status).toBe(409);
    expect(twice.body.error.message).toMatch(/assigned to desk2@h.test already/);
    const mine = (await (await h.call("GET /api/v1/alerts", { query: `?assignee=${otherDesk}` })).json()) as AlertPage;
    expect(mine.items.map((x) => x.id)).toEqual([id]);
    const audit = await h.db.prisma.auditLog.findFirstOrThrow({ where: { action: "alert.assign", details: { path: ["alertId"], equals: id } } });
    expect(audit).toMatchObject({ note: "to desk2@h.test: yours", details: { assigneeId: otherDesk, before: null } });
  });

  it("an id that is not an alert: 400 naming id; an unknown one: 404", async () => {
    const r = await post("acknowledge", "abc", {});
    expect(r.status).toBe(400);
    expect(r.body.error.fields[0].path).toBe("id");
    expect((await post("acknowledge", "987654321", {})).status).toBe(404);
    expect((await h.call("GET /api/v1/alerts/[id]", { params: { id: "987654321" } })).status).toBe(404);
  });

  it("the list filters by state, severity, rule, market, account and assignee, newest raised first, paged; bad filters name the parameter", async () => {
    const t0 = Date.now() - 60_000;
    await h.runtime.services.alerts.apply([
      { ...raise("account:f-1", "status-backstop"), at: t0 },
      { ...raise("account:f-2", "status-backstop"), at: t0 + 1000 },
      { ruleId: "market-stale", subject: "market:F-TEST", raise: true, at: t0 + 2000, marketId: "F-TEST", message: "F-TEST stale" },
    ]);
    const list = async (query: string) => ((await (await h.call("GET /api/v1/alerts", { query })).json()) as AlertPage);
    expect((await list("?ruleId=status-backstop")).items.map((a) => a.subject)).toEqual(["account:f-2", "account:f-1"]);
    expect((await list("?marketId=F-TEST")).items.map((a) => a.subject)).toEqual(["market:F-TEST"]);
    expect((await list("?accountId=f-1")).items.map((a) => a.subject)).toEqual(["account:f-1"]);
    const critical = await list("?severity=critical&ruleId=status-backstop&limit=1");
    expect(critical).toMatchObject({ total: 2, limit: 1, offset: 0 });
    expect(critical.items.map((a) => a.subject)).toEqual(["account:f-2"]);
    expect((await list("?severity=critical&ruleId=status-backstop&limit=1&offset=1")).items.map((a) => a.subject)).toEqual(["account:f-1"]);
    expect((await list("?state=resolved&accountId=lc-1")).items).toHaveLength(1);
    expect((await list("?accountId=lc-1")).items).toHaveLength(0);
    expect((await list("?state=open,acknowledged,resolved&accountId=lc-1")).items).toHaveLength(1);
    expect((await list("?assignee=none&ruleId=status-backstop")).total).toBe(2);

    for (const [query, path, message] of [
      ["?state=closed", "state", /one or more of open, acknowledged, resolved \(got "closed"\)/],
      ["?severity=high", "severity", /info, warning, critical/],
      ["?limit=1000", "limit", /at most 200/],
      ["?offset=-1", "offset", /at least 0/],
      ["?snoozed=yes", "snoozed", /"true" or "false"/],
    ] as const) {
      const res = await h.call("GET /api/v1/alerts", { query });
      const body = await res.json();
      expect(res.status, query).toBe(400);
      expect(body.error.fields[0], query).toMatchObject({ path, message: expect.stringMatching(message) });
    }
  });

  it("every change is pushed to the desk's room with the counts after it, a burst in few pushes", async () => {
    // The earlier tests' transitions go out first (a loaded run pushed 7 of them late, in this burst):
    // their last push carries the counts as they are now, and a second passes with no push after it.
    await vi.waitFor(async () => {
      const before = pushes.length;
      expect(pushes.at(-1)?.counts).toEqual({ ...(await counts()), serverTime: pushes.at(-1)?.counts.serverTime });
      await new Promise((r) => setTimeout(r, 1000));
      expect(pushes.length).toBe(before);
    }, { timeout: 20_000, interval: 100 });
    const from = pushes.length;
    const many = Array.from({ length: 150 }, (_, i) => raise(`account:burst-${i}`, "status-warning"));
    await h.runtime.services.alerts.apply(many);
    await expect.poll(() => pushes.slice(from).reduce((n, p) => n + p.changes.length + p.more, 0), { timeout: 5000 }).toBe(150);
    const burst = pushes.slice(from);
    expect(burst.length).toBeLessThanOrEqual(2);
    expect(burst.every((p) => p.changes.length <= 100)).toBe(true);
    const last = burst.at(-1)!;
    expect(last.counts).toEqual({ ...(await counts()), serverTime: last.counts.serverTime });
    expect(last.counts.attention.info).toBeGreaterThanOrEqual(150);

    const id = (await h.db.prisma.alert.findFirstOrThrow({ where: { subject: "account:burst-0" } })).id.toString();
    const at = pushes.length;
    await post("acknowledge", id, {});
    await expect.poll(() => pushes.slice(at).flatMap((p) => p.changes).find((c) => c.id === id)?.kind, { timeout: 5000 }).toBe("acknowledged");
  });
});
