// The webhooks API through its route handlers (real PostgreSQL, the runtime, better-auth sessions):
// desk only, every bad input a 400 naming its field with nothing saved, every write audited.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRouteHarness, type CallOptions, type RouteHarness, type RouteName } from "../../support/route-harness";
import { deadUrl, startWebhookReceiver, type WebhookReceiver } from "../../support/webhook-receiver";
import type { WebhookCreated, WebhookDeliveryView, WebhookRuleOption, WebhookView } from "@/lib/contracts/webhooks";

let h: RouteHarness;
let rx: WebhookReceiver;

beforeAll(async () => {
  h = await startRouteHarness();
  rx = await startWebhookReceiver([200]);
});
afterAll(async () => {
  await rx?.close();
  await h?.stop();
});

/** Everything a refused webhook write must leave as it was. */
async function saved(): Promise<unknown> {
  const webhooks = await h.db.prisma.webhook.findMany({ orderBy: { id: "asc" } });
  const audit = await h.db.prisma.auditLog.count({ where: { action: { startsWith: "webhook." } } });
  const deliveries = await h.db.prisma.webhookDelivery.count();
  return { webhooks, audit, deliveries };
}

async function refused(route: RouteName, opts: CallOptions, path: string, message?: RegExp): Promise<void> {
  const before = await saved();
  const res = await h.call(route, opts);
  const body = await res.json();
  expect(res.status, JSON.stringify(body)).toBe(400);
  expect(body.error.code).toBe("invalid_input");
  const field = body.error.fields.find((f: { path: string }) => f.path === path);
  expect(field, JSON.stringify(body.error.fields)).toBeDefined();
  if (message) expect(field.message).toMatch(message);
  expect(await saved()).toEqual(before);
}

async function create(json: unknown): Promise<WebhookCreated> {
  const res = await h.call("POST /api/v1/webhooks", { json });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as WebhookCreated;
}

describe("webhooks API", () => {
  it("creates a webhook (201, its secret shown once), lists it without the secret, audits with the URL's path withheld", async () => {
    const created = await create({ name: "  ops  ", url: `${rx.url}/T0/B0/secret-token`, minSeverity: "warning", ruleIds: ["status-liquidatable"] });
    expect(created).toMatchObject({
      name: "ops", format: "json", eventKinds: ["raised", "resolved"], ruleIds: ["status-liquidatable"], minSeverity: "warning",
      template: null, enabled: true, consecutiveFailures: 0, lastDelivery: null, pending: 0,
    });
    expect(created.id).toMatch(/^wh_[0-9a-f]{16}$/);
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    const list = (await (await h.call("GET /api/v1/webhooks")).json()) as WebhookView[];
    const listed = list.find((w) => w.id === created.id)!;
    expect(listed.url).toBe(`${rx.url}/T0/B0/secret-token`);
    expect(JSON.stringify(list)).not.toContain(created.secret);
    expect(JSON.stringify(await (await h.call("GET /api/v1/webhooks/[id]", { params: { id: created.id } })).json())).not.toContain(created.secret);
    const audit = await h.db.prisma.auditLog.findFirstOrThrow({ where: { action: "webhook.create" }, orderBy: { id: "desc" } });
    expect(audit.details).toMatchObject({ webhookId: created.id, url: `${new URL(rx.url).origin}/…`, name: "ops" });
    expect(JSON.stringify(audit.details)).not.toContain("secret-token");
    expect(audit.actor).toMatch(/^user:/);
    const rules = (await (await h.call("GET /api/v1/webhooks/rules")).json()) as WebhookRuleOption[];
    expect(rules.map((r) => r.id)).toContain("webhook-disabled");
  });

  it("refuses each bad input with a 400 naming the field, saving nothing", async () => {
    const ok = { name: "hook", url: rx.url };
    const post = (json: unknown) => ({ json });
    await refused("POST /api/v1/webhooks", post({ name: "hook" }), "url", /is required/);
    await refused("POST /api/v1/webhooks", post({ ...ok, url: "ftp://files.example.com/x" }), "url", /must use http: or https: \(got ftp:\)/);
    await refused("POST /api/v1/webhooks", post({ ...ok, url: "javascript:alert(1)" }), "url", /http: or https:/);
    await refused("POST /api/v1/webhooks", post({ ...ok, url: "file:///etc/passwd" }), "url", /got file:/);
    await refused("POST /api/v1/webhooks", post({ ...ok, url: "https://user:pw@hooks.example.com/x" }), "url", /credentials/);
    await refused("POST /api/v1/webhooks", post({ ...ok, url: "hooks.example.com/x" }), "url", /absolute/);
    await refused("POST /api/v1/webhooks", post({ ...ok, url: `https://hooks.example.com/${"a".repeat(2000)}` }), "url", /at most 2000 characters/);
    await refused("POST /api/v1/webhooks", post({ ...ok, url: 42 }), "url", /must be a URL/);
    await refused("POST /api/v1/webhooks", post({ ...ok, name: "   " }), "name", /blank/);
    await refused("POST /api/v1/webhooks", post({ url: rx.url }), "name", /is required/);
    await refused("POST /api/v1/webhooks", post({ ...ok, format: "xml" }), "format", /one of json, slack/);
    await refused("POST /api/v1/webhooks", post({ ...ok, ruleIds: ["status-liquidatable", "no-such-rule"] }), "ruleIds[1]", /no alert rule "no-such-rule"/);
    await refused("POST /api/v1/webhooks", post({ ...ok, ruleIds: ["ratio-90", "ratio-90"] }), "ruleIds[1]", /named twice/);
    await refused("POST /api/v1/webhooks", post({ ...ok, minSeverity: "fatal" }), "minSeverity", /one of info, warning, critical/);
    await refused("POST /api/v1/webhooks", post({ ...ok, eventKinds: [] }), "eventKinds", /at least one/);
    await refused("POST /api/v1/webhooks", post({ ...ok, eventKinds: ["raised", "exploded"] }), "eventKinds[1]", /one of raised/);
    await refused("POST /api/v1/webhooks", post({ ...ok, format: "slack", template: "{{alert.message}} on {{alert.nope}}" }), "template", /unknown field "alert.nope" at character 22/);
    await refused("POST /api/v1/webhooks", post({ ...ok, format: "slack", template: "{{alert.message" }), "template", /not closed/);
    await refused("POST /api/v1/webhooks", post({ ...ok, format: "slack", template: "{{ }}" }), "template", /empty/);
    await refused("POST /api/v1/webhooks", post({ ...ok, template: "{{alert.message}}" }), "template", /only a Slack-format webhook takes a template/);
    await refused("POST /api/v1/webhooks", post({ ...ok, enabled: "yes" }), "enabled", /true or false/);
    await refused("POST /api/v1/webhooks", post({ ...ok, secret: "mine" }), "(body)", /unknown field "secret"/);
    await refused("POST /api/v1/webhooks", post({ ...ok, name: "a\u0000b" }), "name", /NUL/);

    const w = await create({ name: "to change", url: rx.url, format: "slack", template: "{{alert.message}}" });
    const patch = (json: unknown) => ({ params: { id: w.id }, json });
    await refused("PATCH /api/v1/webhooks/[id]", patch({ url: "mailto:desk@example.com" }), "url", /got mailto:/);
    await refused("PATCH /api/v1/webhooks/[id]", patch({ template: "{{event.nope}}" }), "template", /unknown field "event.nope"/);
    await refused("PATCH /api/v1/webhooks/[id]", patch({ format: "json", template: "{{alert.message}}" }), "template", /only a Slack-format/);
    await refused("PATCH /api/v1/webhooks/[id]", patch({ ruleIds: ["nope"] }), "ruleIds[0]", /no alert rule/);
    await refused("PATCH /api/v1/webhooks/[id]", patch({ id: "wh_other" }), "(body)", /unknown field "id"/);
    await refused("GET /api/v1/webhooks/[id]/deliveries", { params: { id: w.id }, query: "?limit=0" }, "limit", /at least 1/);
    await refused("GET /api/v1/webhooks/[id]/deliveries", { params: { id: w.id }, query: "?state=lost" }, "state", /one of pending/);

    // Changed to json without a template of its own: the Slack template goes with it.
    const res = await h.call("PATCH /api/v1/webhooks/[id]", patch({ format: "json" }));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ format: "json", template: null });
  });

  it("answers 404 for a webhook that does not exist", async () => {
    for (const [route, opts] of [
      ["GET /api/v1/webhooks/[id]", {}], ["PATCH /api/v1/webhooks/[id]", { json: { name: "x" } }], ["DELETE /api/v1/webhooks/[id]", {}],
      ["POST /api/v1/webhooks/[id]/test", {}], ["GET /api/v1/webhooks/[id]/deliveries", {}],
    ] as [RouteName, CallOptions][]) {
      const res = await h.call(route, { ...opts, params: { id: "wh_missing" } });
      expect(res.status, route).toBe(404);
    }
  });

  it("is the desk's: a trader gets 403 on every webhook route, nothing saved", async () => {
    const w = await create({ name: "desk only", url: rx.url });
    const before = await saved();
    const calls: [RouteName, CallOptions][] = [
      ["GET /api/v1/webhooks", {}], ["POST /api/v1/webhooks", { json: { name: "mine", url: rx.url } }], ["GET /api/v1/webhooks/rules", {}],
      ["GET /api/v1/webhooks/[id]", { params: { id: w.id } }], ["PATCH /api/v1/webhooks/[id]", { params: { id: w.id }, json: { enabled: false } }],
      ["DELETE /api/v1/webhooks/[id]", { params: { id: w.id } }], ["POST /api/v1/webhooks/[id]/test", { params: { id: w.id } }],
      ["GET /api/v1/webhooks/[id]/deliveries", { params: { id: w.id } }],
    ];
    for (const [route, opts] of calls) {
      const res = await h.call(route, { ...opts, as: "trader" });
      expect(res.status, route).toBe(403);
      expect(await h.call(route, { ...opts, as: "none" }).then((r) => r.status), route).toBe(401);
    }
    expect(await saved()).toEqual(before);
  });

  it("tests, disables, enables and deletes, each audited; the delivery log shows the attempts", async () => {
    const dead = await create({ name: "lifecycle", url: await deadUrl() });
    const tested = await h.call("POST /api/v1/webhooks/[id]/test", { params: { id: dead.id } });
    expect(tested.status).toBe(200);
    const failed = (await tested.json()) as WebhookDeliveryView;
    expect(failed).toMatchObject({ type: "webhook.test", state: "dead", attempts: 1, lastStatus: null });
    expect(failed.lastError).toMatch(/ECONNREFUSED/);
    await h.call("PATCH /api/v1/webhooks/[id]", { params: { id: dead.id }, json: { url: rx.url } });
    const ok = (await (await h.call("POST /api/v1/webhooks/[id]/test", { params: { id: dead.id } })).json()) as WebhookDeliveryView;
    expect(ok).toMatchObject({ state: "delivered", lastStatus: 200, lastError: null });
    const log = (await (await h.call("GET /api/v1/webhooks/[id]/deliveries", { params: { id: dead.id } })).json()) as WebhookDeliveryView[];
    expect(log.map((d) => d.id)).toEqual([ok.id, failed.id]);
    const view = (await (await h.call("GET /api/v1/webhooks/[id]", { params: { id: dead.id } })).json()) as WebhookView;
    expect(view.lastDelivery).toMatchObject({ id: ok.id, state: "delivered", status: 200 });

    const off = (await (await h.call("PATCH /api/v1/webhooks/[id]", { params: { id: dead.id }, json: { enabled: false } })).json()) as WebhookView;
    expect(off).toMatchObject({ enabled: false, disabledReason: "disabled by desk@h.test" });
    const on = (await (await h.call("PATCH /api/v1/webhooks/[id]", { params: { id: dead.id }, json: { enabled: true } })).json()) as WebhookView;
    expect(on).toMatchObject({ enabled: true, disabledAt: null, disabledReason: null });
    // Nothing changed: nothing audited.
    await h.call("PATCH /api/v1/webhooks/[id]", { params: { id: dead.id }, json: { enabled: true, name: "lifecycle" } });
    expect((await h.call("DELETE /api/v1/webhooks/[id]", { params: { id: dead.id } })).status).toBe(204);
    expect(await h.db.prisma.webhookDelivery.count({ where: { webhookId: dead.id } })).toBe(0);
    const actions = (await h.db.prisma.auditLog.findMany({ where: { action: { startsWith: "webhook." } }, orderBy: { id: "asc" } }))
      .filter((a) => (a.details as { webhookId?: string } | null)?.webhookId === dead.id).map((a) => a.action);
    expect(actions).toEqual(["webhook.create", "webhook.test", "webhook.update", "webhook.test", "webhook.disable", "webhook.enable", "webhook.delete"]);
    expect((await h.call("GET /api/v1/webhooks/[id]/deliveries", { params: { id: dead.id } })).status).toBe(404);
  });
});
