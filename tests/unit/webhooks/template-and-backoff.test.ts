import { describe, expect, it } from "vitest";
import { DEFAULT_SLACK_TEMPLATE, escapeSlack, parseTemplate, renderTemplate, templateProblem, TEMPLATE_FIELDS } from "@/lib/contracts/webhook-template";
import { webhookUrlProblem } from "@/lib/contracts/webhooks";
import { retryDelayMs, retrySchedule } from "@/lib/server/webhooks/backoff";
import { deliveryBody, sampleEvent, templateContext } from "@/lib/server/webhooks/payloads";
import { matches } from "@/lib/server/webhooks/fan-out";

describe("webhook templates", () => {
  const context = templateContext({ ...sampleEvent(new Date("2026-12-07T12:00:00Z")), message: "ratio 104% > 100% & <b>", marketId: null }, "ops");

  it("substitute known fields only; null prints —; values escaped for Slack, the template's own text kept", () => {
    expect(renderTemplate("<!here> {{alert.severity}}: {{ alert.message }} @ {{alert.marketId}} ({{webhook.name}})", context, escapeSlack))
      .toBe("<!here> warning: ratio 104% &gt; 100% &amp; &lt;b&gt; @ — (ops)");
    expect(renderTemplate("{{event.occurredAt}}", context)).toBe("2026-12-07T12:00:00.000Z");
    expect(templateProblem(DEFAULT_SLACK_TEMPLATE)).toBeNull();
    expect(Object.keys(context).sort()).toEqual(Object.keys(TEMPLATE_FIELDS).sort());
  });

  it("refuse a template that does not render, saying where", () => {
    expect(templateProblem("a {{alert.mesage}}")).toMatch(/^unknown field "alert.mesage" at character 3/);
    expect(templateProblem("a {{alert.message")).toBe('"{{" at character 3 is not closed with "}}"');
    expect(templateProblem("{{}}")).toMatch(/^empty/);
    expect(templateProblem("{{constructor}}")).toMatch(/unknown field "constructor"/);
    expect(templateProblem("{{__proto__}}")).toMatch(/unknown field/);
    expect(templateProblem("plain text, no holes }}")).toBeNull();
    expect(parseTemplate("x{{alert.id}}y")).toEqual({ ok: true, parts: [{ text: "x" }, { field: "alert.id" }, { text: "y" }] });
    expect(() => renderTemplate("{{nope}}", context)).toThrow(/does not render/);
  });

  it("render the sample alert in both formats", () => {
    expect(JSON.parse(deliveryBody(sampleEvent(), { name: "x", format: "json", template: null }))).toMatchObject({ type: "alert.raised", alert: { subject: "account:TEST" } });
    expect(JSON.parse(deliveryBody(sampleEvent(), { name: "x", format: "slack", template: null }, { id: "test-1" })).text).toContain("Account liquidatable");
  });
});

describe("webhook URLs", () => {
  it("take http(s) with a host and no credentials, at most 2,000 characters", () => {
    expect(webhookUrlProblem("https://hooks.slack.com/services/T/B/x")).toBeNull();
    expect(webhookUrlProblem("http://127.0.0.1:8080/hook?x=1")).toBeNull();
    expect(webhookUrlProblem("ws://x/y")).toMatch(/got ws:/);
    expect(webhookUrlProblem("https://a:b@x/y")).toMatch(/credentials/);
    expect(webhookUrlProblem("https://a@x/y")).toMatch(/credentials/);
    expect(webhookUrlProblem(" https://x/y")).toMatch(/spaces/);
    expect(webhookUrlProblem(`https://x/${"a".repeat(1991)}`)).toMatch(/at most 2000/);
  });
});

describe("webhook filters", () => {
  const event = { kind: "raised", ruleId: "status-backstop", severity: "critical" as const };
  it("match by event kind, rule and minimum severity", () => {
    expect(matches({ event_kinds: ["raised"], rule_ids: [], min_severity: null }, event)).toBe(true);
    expect(matches({ event_kinds: ["resolved"], rule_ids: [], min_severity: null }, event)).toBe(false);
    expect(matches({ event_kinds: ["raised"], rule_ids: ["status-bankrupt"], min_severity: null }, event)).toBe(false);
    expect(matches({ event_kinds: ["raised"], rule_ids: ["status-backstop"], min_severity: "critical" }, event)).toBe(true);
    expect(matches({ event_kinds: ["raised"], rule_ids: [], min_severity: "critical" }, { ...event, severity: "warning" })).toBe(false);
    expect(matches({ event_kinds: ["raised"], rule_ids: [], min_severity: "info" }, { ...event, severity: "warning" })).toBe(true);
  });
});

describe("retry backoff", () => {
  it("doubles from the base with ±20% jitter, each wait longer than the last until the cap", () => {
    expect(retrySchedule(8, 5000, 3_600_000)).toEqual([5000, 10000, 20000, 40000, 80000, 160000, 320000]);
    for (let n = 1; n < 7; n++) {
      // The longest jittered wait after n failures is shorter than the shortest after n + 1.
      expect(retryDelayMs(n, 5000, 3_600_000, () => 0.999999)).toBeLessThan(retryDelayMs(n + 1, 5000, 3_600_000, () => 0));
    }
    expect(retryDelayMs(1, 5000, 3_600_000, () => 0)).toBe(4000);
    expect(retryDelayMs(30, 5000, 60_000, () => 0.99)).toBe(60_000);
  });
});
