import type { AlertRuleKind, AlertSeverity, AlertState } from "@/lib/contracts/alerts";
import { DEFAULT_SLACK_TEMPLATE, escapeSlack, renderTemplate, type TemplateContext } from "@/lib/contracts/webhook-template";
import type { WebhookFormat, WebhookJsonPayload, WebhookSlackPayload } from "@/lib/contracts/webhooks";

/**
 * The bodies a delivery sends (docs/WEBHOOKS.md, "Payloads"): the event as JSON, or a Slack
 * message rendered from the webhook's template. Pure: the fan-out renders each delivery's body
 * once, and every retry sends those bytes.
 */

/** An alert event with its alert and rule, as the fan-out reads it. */
export interface AlertEventRow {
  readonly eventId: string;
  /** "raised" | "acknowledged" | "snoozed" | "assigned" | "resolved" */
  readonly kind: string;
  readonly actor: string;
  readonly note: string | null;
  readonly at: Date;
  readonly alertId: string;
  readonly ruleId: string;
  readonly ruleName: string;
  readonly ruleKind: AlertRuleKind;
  readonly severity: AlertSeverity;
  readonly state: AlertState;
  readonly subject: string;
  readonly accountId: string | null;
  readonly marketId: string | null;
  readonly message: string;
  readonly value: number | null;
  readonly raisedAt: Date;
  readonly resolvedAt: Date | null;
}

/** What a delivery's body depends on of its webhook. */
export interface WebhookShape {
  readonly name: string;
  readonly format: WebhookFormat;
  readonly template: string | null;
}

/** Slack's limit on a section block's text, in characters. */
const SLACK_SECTION_MAX = 3000;

export const eventType = (kind: string) => `alert.${kind}`;
export const TEST_EVENT_TYPE = "webhook.test";

/** The event as the template language sees it. */
export function templateContext(event: AlertEventRow, webhookName: string, type = eventType(event.kind)): TemplateContext {
  return {
    "alert.id": event.alertId,
    "alert.ruleId": event.ruleId,
    "alert.ruleName": event.ruleName,
    "alert.kind": event.ruleKind,
    "alert.severity": event.severity,
    "alert.state": event.state,
    "alert.subject": event.subject,
    "alert.accountId": event.accountId,
    "alert.marketId": event.marketId,
    "alert.message": event.message,
    "alert.value": event.value,
    "alert.raisedAt": event.raisedAt.toISOString(),
    "event.type": type,
    "event.kind": event.kind,
    "event.actor": event.actor,
    "event.note": event.note,
    "event.occurredAt": event.at.toISOString(),
    "webhook.name": webhookName,
  };
}

export function jsonPayload(event: AlertEventRow, id = event.eventId, type = eventType(event.kind)): WebhookJsonPayload {
  return {
    id,
    type,
    occurredAt: event.at.toISOString(),
    actor: event.actor,
    note: event.note,
    alert: {
      id: event.alertId,
      ruleId: event.ruleId,
      ruleName: event.ruleName,
      kind: event.ruleKind,
      severity: event.severity,
      state: event.state,
      subject: event.subject,
      accountId: event.accountId,
      marketId: event.marketId,
      message: event.message,
      value: event.value,
      raisedAt: event.raisedAt.toISOString(),
      resolvedAt: event.resolvedAt?.toISOString() ?? null,
    },
  };
}

export function slackPayload(event: AlertEventRow, webhook: WebhookShape, type = eventType(event.kind)): WebhookSlackPayload {
  const text = renderTemplate(webhook.template ?? DEFAULT_SLACK_TEMPLATE, templateContext(event, webhook.name, type), escapeSlack);
  const section = text.length > SLACK_SECTION_MAX ? `${text.slice(0, SLACK_SECTION_MAX - 1)}…` : text;
  const context = escapeSlack(`Liqdesk · ${type} · alert ${event.alertId} · ${event.at.toISOString()}`);
  return {
    text,
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: section } },
      { type: "context", elements: [{ type: "mrkdwn", text: context }] },
    ],
  };
}

/** The exact body a delivery of `event` to `webhook` POSTs. */
export function deliveryBody(event: AlertEventRow, webhook: WebhookShape, test?: { id: string }): string {
  const type = test ? TEST_EVENT_TYPE : eventType(event.kind);
  if (webhook.format === "slack") return JSON.stringify(slackPayload(event, webhook, type));
  return JSON.stringify(jsonPayload(event, test ? test.id : event.eventId, type));
}

/** The alert a test delivery (and the template check at save) uses: every field filled, marked as a test. */
export function sampleEvent(now = new Date()): AlertEventRow {
  return {
    eventId: "0",
    kind: "raised",
    actor: "system",
    note: null,
    at: now,
    alertId: "0",
    ruleId: "status-liquidatable",
    ruleName: "Account liquidatable",
    ruleKind: "status_enter",
    severity: "warning",
    state: "open",
    subject: "account:TEST",
    accountId: "TEST",
    marketId: null,
    message: "This is a test delivery from Liqdesk: no account is affected",
    value: 1.0,
    raisedAt: now,
    resolvedAt: null,
  };
}
