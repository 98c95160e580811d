// Webhook delivery end to end against a local HTTP receiver (127.0.0.1; no outside network): alert
// events written by applyAlertSignals, fanned out by the dispatcher, POSTed signed, retried with
// backoff, and a dead receiver's webhook disabled with one alert (docs/WEBHOOKS.md).
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { applyAlertSignals } from "@/lib/server/alerts/alert-store";
import { seedAlertRules } from "@/lib/server/alerts/default-rules";
import { createUser } from "@/lib/server/auth/users";
import type { UserPrincipal } from "@/lib/server/auth/policy";
import { createLogger } from "@/lib/server/logger";
import type { PrismaClient } from "@/lib/server/db/prisma-client";
import { WebhookDispatcher, type DispatcherOptions } from "@/lib/server/webhooks/dispatcher";
import { fanOutBatch } from "@/lib/server/webhooks/fan-out";
import { WebhookAdmin } from "@/lib/server/webhooks/webhook-admin";
import { DELIVERY_HEADER, SIGNATURE_HEADER, signatureHeader, verifyWebhookSignature } from "@/lib/server/webhooks/signature";
import type { AlertSignal } from "@/lib/contracts/alerts";
import type { WebhookJsonPayload, WebhookSlackPayload } from "@/lib/contracts/webhooks";
import { createTestDatabase, type TestDatabase } from "../../support/test-database";
import { deadUrl, startWebhookReceiver, type WebhookReceiver } from "../../support/webhook-receiver";

const log = createLogger("silent");
let db: TestDatabase;
let desk: UserPrincipal;
let subjectSeq = 0;
const dispatchers: WebhookDispatcher[] = [];
const receivers: WebhookReceiver[] = [];

/** A dispatcher on the test database, fast enough for a test (the backoff base is the test's to choose). */
function dispatcher(options: Partial<DispatcherOptions> = {}): WebhookDispatcher {
  const d = new WebhookDispatcher(db.prisma, log, { pollMs: 50, flushMs: 20, timeoutMs: 2000, backoffBaseMs: 1000, ...options });
  dispatchers.push(d);
  return d;
}

async function receiver(script: number[] = [200]): Promise<WebhookReceiver> {
  const r = await startWebhookReceiver(script);
  receivers.push(r);
  return r;
}

/** An admin whose dispatcher is started by the test (or never). */
function admin(d?: WebhookDispatcher): WebhookAdmin {
  return new WebhookAdmin(db.prisma, { wake: () => d?.wake(), deliverNow: (id) => (d ?? dispatcher()).deliverNow(id), announce: (t) => d?.announce(t) });
}

function raise(n: number, ruleId = "status-liquidatable", message = "margin ratio 104% ≥ 100%"): AlertSignal[] {
  return Array.from({ length: n }, () => {
    const id = `wa-${++subjectSeq}`;
    return { ruleId, subject: `account:${id}`, raise: true, at: Date.now(), accountId: id, value: 1.04, message };
  });
}

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  db = await createTestDatabase();
  await seedAlertRules(db.prisma);
  const user = await createUser(db.prisma, { email: "desk@webhooks.test", name: "Desk", role: "desk", accountIds: [], password: "webhooks-desk-1" });
  desk = { kind: "user", userId: user.id, email: "desk@webhooks.test", name: "Desk", role: "desk", accountIds: [] };
});

afterEach(async () => {
  for (const d of dispatchers.splice(0)) await d.stop();
  for (const r of receivers.splice(0)) await r.close();
  // Each test starts with no webhook listening (the cursor moves on past earlier tests' events).
  await db.prisma.webhook.deleteMany({});
  await drainFanOut();
});

/**
 * Moves the fan-out cursor past every committed alert event. Not always at once: the fan-out waits
 * for transactions older than an event to end, and those are the whole PostgreSQL server's (other
 * test databases' too).
 */
async function drainFanOut(): Promise<void> {
  await until("every committed alert event fanned out", async () => {
    while ((await fanOutBatch(db.prisma, { batch: 1000, maxAttempts: 8 })).more);
    const [row] = await db.prisma.$queryRaw<{ n: bigint }[]>`
      SELECT count(*) AS n FROM alert_events e, webhook_cursor c WHERE (e.tx, e.id) > (c.last_tx, c.last_event_id)`;
    return row!.n === 0n;
  }, 60_000);
}

afterAll(async () => {
  await db?.drop();
});

describe("webhook delivery", () => {
  it("signs each delivery: the signature verifies over the raw body; a changed body, another secret or an old timestamp does not", async () => {
    const rx = await receiver([200]);
    const d = dispatcher();
    const created = await admin(d).create(desk, { name: "ops json", url: rx.url });
    d.start();
    const t = await applyAlertSignals(db.prisma, raise(1));
    await rx.waitFor(1);
    const req = rx.requests[0]!;
    const header = req.headers[SIGNATURE_HEADER.toLowerCase()] as string;
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature({ secret: created.secret, header, body: req.body })).toEqual({ ok: true, timestamp: expect.any(Number) });

    const payload = JSON.parse(req.body.toString("utf8")) as WebhookJsonPayload;
    const event = await db.prisma.alertEvent.findFirstOrThrow({ where: { alertId: BigInt(t.raised[0]!.id) } });
    expect(payload).toMatchObject({ id: event.id.toString(), type: "alert.raised", actor: "system", alert: { id: t.raised[0]!.id, ruleId: "status-liquidatable", severity: "warning", state: "open", value: 1.04 } });
    expect(Date.parse(payload.occurredAt)).toBe(event.at.getTime());
    const delivery = await db.prisma.webhookDelivery.findFirstOrThrow({ where: { webhookId: created.id } });
    expect(req.headers[DELIVERY_HEADER.toLowerCase()]).toBe(delivery.id.toString());
    expect(req.headers["content-type"]).toBe("application/json");

    const tampered = Buffer.from(req.body.toString("utf8").replace("104%", "105%"));
    expect(verifyWebhookSignature({ secret: created.secret, header, body: tampered })).toMatchObject({ ok: false, reason: "mismatch" });
    expect(verifyWebhookSignature({ secret: "whsec_another", header, body: req.body })).toMatchObject({ ok: false, reason: "mismatch" });
    const signedAt = Number(/t=(\d+)/.exec(header)![1]) * 1000;
    expect(verifyWebhookSignature({ secret: created.secret, header, body: req.body, nowMs: signedAt + 301_000 })).toMatchObject({ ok: false, reason: "expired" });
    // A request replayed with its own signature six minutes later, or signed six minutes ago, is refused.
    const old = signatureHeader(created.secret, req.body, Date.now() - 360_000);
    expect(verifyWebhookSignature({ secret: created.secret, header: old, body: req.body })).toMatchObject({ ok: false, reason: "expired" });
    expect(verifyWebhookSignature({ secret: created.secret, header: "v1=abc", body: req.body })).toMatchObject({ ok: false, reason: "malformed" });
    expect(verifyWebhookSignature({ secret: created.secret, header: undefined, body: req.body })).toMatchObject({ ok: false, reason: "missing" });
    await until("the delivery recorded", async () => (await db.prisma.webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id } })).state === "delivered");
  });

  it("retries a failing receiver with growing waits, the same bytes and delivery id each time, until it answers 2xx", async () => {
    const rx = await receiver([500, 503, 200]);
    const d = dispatcher({ backoffBaseMs: 1000 });
    const created = await admin(d).create(desk, { name: "flaky", url: rx.url });
    d.start();
    await applyAlertSignals(db.prisma, raise(1));
    await rx.waitFor(3, 20_000);
    const [a, b, c] = rx.requests as [typeof rx.requests[0], typeof rx.requests[0], typeof rx.requests[0]];
    const first = b.at - a.at;
    const second = c.at - b.at;
    // base × 2^(n−1) × [0.8, 1.2): the first wait ≥ 800 ms, the second ≥ 1,600 ms, and longer than the first.
    expect(first).toBeGreaterThanOrEqual(800);
    expect(second).toBeGreaterThanOrEqual(1600);
    expect(second).toBeGreaterThan(first);
    expect(new Set(rx.requests.map((r) => r.headers[DELIVERY_HEADER.toLowerCase()])).size).toBe(1);
    expect(rx.requests.map((r) => r.headers["liqdesk-attempt"])).toEqual(["1", "2", "3"]);
    expect(b.body.equals(a.body) && c.body.equals(a.body)).toBe(true);
    for (const r of rx.requests) {
      expect(verifyWebhookSignature({ secret: created.secret, header: r.headers["liqdesk-signature"] as string, body: r.body }).ok).toBe(true);
    }
    const delivery = await until("delivered", async () => {
      const row = await db.prisma.webhookDelivery.findFirstOrThrow({ where: { webhookId: created.id } });
      return row.state === "delivered" ? row : null;
    });
    expect(delivery).toMatchObject({ attempts: 3, lastStatus: 200, lastError: null });
    expect(delivery.deliveredAt).not.toBeNull();
    const webhook = await db.prisma.webhook.findUniqueOrThrow({ where: { id: created.id } });
    expect(webhook).toMatchObject({ enabled: true, consecutiveFailures: 0 });
  });

  it("disables a webhook whose receiver refuses connections after the failure limit, raises exactly one webhook-disabled alert, and sends it nothing more", async () => {
    const d = dispatcher({ failureLimit: 3, backoffBaseMs: 100, maxAttempts: 8 });
    // What the desk's inbox is told (the runtime announces these to the alerts push).
    const announced: string[] = [];
    d.onAlerts((t) => announced.push(...t.raised.map((x) => `raised ${x.subject}`), ...t.resolved.map((x) => `resolved ${x.subject}`)));
    const a = admin(d);
    const created = await a.create(desk, { name: "dead end", url: await deadUrl() });
    d.start();
    await applyAlertSignals(db.prisma, raise(6));
    const off = await until("the webhook disabled", async () => {
      const w = await db.prisma.webhook.findUniqueOrThrow({ where: { id: created.id } });
      return w.enabled ? null : w;
    });
    const failed = Number(/^(\d+) failed attempts in a row; last: .*ECONNREFUSED/.exec(off.disabledReason ?? "")?.[1]);
    expect(failed).toBeGreaterThanOrEqual(3);
    const alerts = await db.prisma.alert.findMany({ where: { ruleId: "webhook-disabled" } });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ subject: `webhook:${created.id}`, state: "open", severity: "warning" });
    expect(alerts[0]!.message).toContain(`webhook "dead end" disabled: ${failed} failed attempts in a row`);
    expect(await db.prisma.auditLog.count({ where: { action: "webhook.disable", actor: "system" } })).toBe(1);
    expect(announced).toEqual([`raised webhook:${created.id}`]);

    const attempts = async () => (await db.prisma.webhookDelivery.aggregate({ where: { webhookId: created.id }, _sum: { attempts: true } }))._sum.attempts ?? 0;
    await new Promise((r) => setTimeout(r, 500)); // the requests in flight when it was disabled are recorded
    const made = await attempts();
    // The limit, and at most the requests already in flight when it was reached.
    expect(made).toBeGreaterThanOrEqual(failed);
    expect(made).toBeLessThanOrEqual(3 + d.options.concurrency - 1);
    await new Promise((r) => setTimeout(r, 1000));
    expect(await attempts()).toBe(made);
    expect(await db.prisma.webhookDelivery.count({ where: { webhookId: created.id, state: "pending" } })).toBeGreaterThan(0);
    expect(await db.prisma.alert.count({ where: { ruleId: "webhook-disabled" } })).toBe(1);

    // Enabled again: the failures forgotten, the alert resolved, the pending deliveries tried again at once.
    const rx = await receiver([200]);
    const view = await a.update(desk, created.id, { enabled: true, url: rx.url });
    expect(view).toMatchObject({ enabled: true, consecutiveFailures: 0, disabledAt: null, disabledReason: null });
    expect((await db.prisma.alert.findFirstOrThrow({ where: { ruleId: "webhook-disabled" } })).state).toBe("resolved");
    expect(announced).toEqual([`raised webhook:${created.id}`, `resolved webhook:${created.id}`]);
    await until("every pending delivery delivered", async () => (await db.prisma.webhookDelivery.count({ where: { webhookId: created.id, state: { not: "delivered" } } })) === 0);
    expect(await db.prisma.auditLog.count({ where: { action: { in: ["webhook.enable", "webhook.update"] }, userId: desk.userId } })).toBe(2);
  });

  it("disables a webhook whose first delivery used up its attempts, below the failure limit", async () => {
    const d = dispatcher({ failureLimit: 100, backoffBaseMs: 50, maxAttempts: 2 });
    const created = await admin(d).create(desk, { name: "gives up", url: await deadUrl() });
    d.start();
    await applyAlertSignals(db.prisma, raise(1));
    const off = await until("the webhook disabled", async () => {
      const w = await db.prisma.webhook.findUniqueOrThrow({ where: { id: created.id } });
      return w.enabled ? null : w;
    });
    expect(off.disabledReason).toMatch(/^2 failed attempts in a row \(a delivery used up its attempts\)/);
    expect(await db.prisma.webhookDelivery.findFirstOrThrow({ where: { webhookId: created.id } })).toMatchObject({ state: "dead", attempts: 2, nextAttemptAt: null });
    expect(await db.prisma.alert.count({ where: { ruleId: "webhook-disabled", subject: `webhook:${created.id}`, state: "open" } })).toBe(1);
  });

  it("fans each event out exactly once per matching webhook across a restart of the dispatcher", async () => {
    const rxAll = await receiver([200]);
    const rxCritical = await receiver([200]);
    const first = dispatcher({ fanOutBatch: 7 });
    const a = admin(first);
    const all = await a.create(desk, { name: "everything", url: rxAll.url });
    const critical = await a.create(desk, { name: "critical only", url: rxCritical.url, minSeverity: "critical", ruleIds: ["status-backstop", "status-bankrupt"] });
    await applyAlertSignals(db.prisma, [...raise(40), ...raise(5, "status-backstop")]);
    first.start();
    await rxAll.waitFor(3);
    await first.stop();
    const second = dispatcher({ fanOutBatch: 7 });
    second.start();
    await applyAlertSignals(db.prisma, raise(10)); // while the second one runs
    await until("every delivery delivered", async () =>
      (await db.prisma.webhookDelivery.count({ where: { state: "delivered" } })) === 55 + 5 && rxAll.requests.length === 55 && rxCritical.requests.length === 5);
    expect(await db.prisma.webhookDelivery.count({ where: { webhookId: all.id } })).toBe(55);
    expect(await db.prisma.webhookDelivery.count({ where: { webhookId: critical.id } })).toBe(5);
    const ids = (rx: WebhookReceiver) => rx.requests.map((r) => (JSON.parse(r.body.toString("utf8")) as WebhookJsonPayload).id);
    expect(new Set(ids(rxAll)).size).toBe(55);
    expect(new Set(ids(rxCritical)).size).toBe(5);
    expect(rxCritical.requests.every((r) => (JSON.parse(r.body.toString("utf8")) as WebhookJsonPayload).alert.ruleId === "status-backstop")).toBe(true);
    // A further pass finds nothing to fan out.
    expect(await fanOutBatch(db.prisma, { batch: 100, maxAttempts: 8 })).toEqual({ events: 0, deliveries: 0, more: false });
  });

  it("does not skip an event committed after one with a higher id was fanned out", async () => {
    await admin().create(desk, { name: "ordering", url: "http://127.0.0.1:9/never-sent" });
    const before = await fanOutBatch(db.prisma, { batch: 100, maxAttempts: 8 });
    expect(before.deliveries).toBe(0);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let lowId = "";
    // Transaction A takes the lower event id and commits last.
    const slow = db.prisma.$transaction(async (tx) => {
      const t = await applyAlertSignals(tx as unknown as PrismaClient, raise(1, "status-liquidatable", "A"));
      lowId = t.raised[0]!.id;
      await gate;
    }, { timeout: 30_000 });
    await until("A's event written", async () => lowId !== "");
    const fast = await applyAlertSignals(db.prisma, raise(1, "status-liquidatable", "B"));
    // B is committed, A is not: B waits for A (an id cursor would take B now and never see A).
    expect(await fanOutBatch(db.prisma, { batch: 100, maxAttempts: 8 })).toMatchObject({ deliveries: 0 });
    release();
    await slow;
    // Both now (as soon as no older transaction of the PostgreSQL server is running).
    await until("both events fanned out", async () => {
      await fanOutBatch(db.prisma, { batch: 100, maxAttempts: 8 });
      return (await db.prisma.webhookDelivery.count({ where: { type: "alert.raised" } })) >= 2;
    });
    expect(await db.prisma.webhookDelivery.count({ where: { type: "alert.raised" } })).toBe(2);
    const events = await db.prisma.webhookDelivery.findMany({ where: { type: "alert.raised" }, orderBy: { id: "asc" }, select: { eventId: true } });
    const alertIds = await db.prisma.alertEvent.findMany({ where: { id: { in: events.map((e) => e.eventId!) } }, select: { alertId: true } });
    expect(alertIds.map((e) => e.alertId.toString()).sort()).toEqual([lowId, fast.raised[0]!.id].sort());
    expect(BigInt(lowId)).toBeLessThan(BigInt(fast.raised[0]!.id));
  });

  it("sends a Slack-format webhook { text, blocks } from its template, values escaped and the template's own markup kept", async () => {
    const rx = await receiver([200]);
    const d = dispatcher();
    await admin(d).create(desk, {
      name: "slack", url: rx.url, format: "slack", eventKinds: ["raised"],
      template: "<!here> *{{alert.severity}}* {{alert.ruleName}} on {{alert.accountId}}: {{alert.message}} (market {{alert.marketId}})",
    });
    d.start();
    const t = await applyAlertSignals(db.prisma, raise(1, "status-liquidatable", "ratio > 100% & <rising>"));
    await rx.waitFor(1);
    const body = JSON.parse(rx.requests[0]!.body.toString("utf8")) as WebhookSlackPayload;
    const account = `wa-${subjectSeq}`;
    expect(body.text).toBe(`<!here> *warning* Account liquidatable on ${account}: ratio &gt; 100% &amp; &lt;rising&gt; (market —)`);
    expect(body.blocks).toEqual([
      { type: "section", text: { type: "mrkdwn", text: body.text } },
      { type: "context", elements: [{ type: "mrkdwn", text: expect.stringMatching(new RegExp(`^Liqdesk · alert\\.raised · alert ${t.raised[0]!.id} · \\d{4}-`)) }] },
    ]);
    // Resolved events are not asked for: the clear sends nothing.
    await applyAlertSignals(db.prisma, [{ ruleId: "status-liquidatable", subject: `account:${account}`, raise: false, at: Date.now() }]);
    await new Promise((r) => setTimeout(r, 500));
    expect(rx.requests).toHaveLength(1);
  });

  it("counts a receiver that answers after the timeout as a failed attempt, retried", async () => {
    const slow = await startWebhookReceiver([200], { delayMs: 1500 });
    receivers.push(slow);
    const d = dispatcher({ timeoutMs: 300, backoffBaseMs: 200 });
    const created = await admin(d).create(desk, { name: "slow", url: slow.url });
    d.start();
    await applyAlertSignals(db.prisma, raise(1));
    const row = await until("two attempts recorded", async () => {
      const r = await db.prisma.webhookDelivery.findFirst({ where: { webhookId: created.id } });
      return r && r.attempts >= 2 ? r : null;
    });
    expect(row).toMatchObject({ state: "pending", lastStatus: null, lastError: "no complete answer within 300 ms (timed out)" });
    expect(row.lastDurationMs).toBeGreaterThanOrEqual(300);
    expect(row.lastDurationMs).toBeLessThan(1500);
  });

  it("a test delivery is one attempt, answered with its outcome, and does not count against the webhook", async () => {
    const rx = await receiver([500]);
    const d = dispatcher({ failureLimit: 1 });
    const a = admin(d);
    const created = await a.create(desk, { name: "tested", url: rx.url });
    const result = await a.test(desk, created.id);
    expect(result).toMatchObject({ type: "webhook.test", state: "dead", attempts: 1, maxAttempts: 1, lastStatus: 500, eventId: null, lastError: "HTTP 500: refused with 500" });
    expect(result.lastDurationMs).toBeGreaterThanOrEqual(0);
    const payload = JSON.parse(rx.requests[0]!.body.toString("utf8")) as WebhookJsonPayload;
    expect(payload).toMatchObject({ id: `test-${result.id}`, type: "webhook.test", alert: { subject: "account:TEST" } });
    expect(await db.prisma.webhook.findUniqueOrThrow({ where: { id: created.id } })).toMatchObject({ enabled: true, consecutiveFailures: 0 });
    rx.script = [204];
    expect(await a.test(desk, created.id)).toMatchObject({ state: "delivered", lastStatus: 204, lastError: null });
    expect(await db.prisma.auditLog.count({ where: { action: "webhook.test" } })).toBe(2);
  });
});
