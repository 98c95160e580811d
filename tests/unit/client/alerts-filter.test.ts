import { describe, expect, it } from "vitest";
import { alertsApiQuery, alertsFilterOf, alertsFilterSearch, DEFAULT_ALERTS_FILTER } from "@/lib/client/alerts-filter";
import { alertSubject, isSnoozed } from "@/lib/client/alert-subject";

describe("the inbox's filter in the URL", () => {
  it("reads states and severities (comma-separated or repeated) in their own order, drops what they cannot be", () => {
    const f = alertsFilterOf(new URLSearchParams("state=resolved,open&state=closed&severity=critical&severity=info,high&rule=ratio-90&market=BTC-PERP&assignee=none"));
    expect(f).toEqual({ states: ["open", "resolved"], severities: ["info", "critical"], ruleId: "ratio-90", marketId: "BTC-PERP", assignee: "none" });
    expect(alertsFilterOf({})).toEqual(DEFAULT_ALERTS_FILTER);
    expect(alertsFilterOf({ rule: "x".repeat(129) }).ruleId).toBeNull();
  });

  it("writes the same filter back, and the API's query from it", () => {
    const f = alertsFilterOf({ state: "acknowledged", severity: ["warning", "critical"], assignee: "u1" });
    expect(alertsFilterSearch(f)).toBe("?state=acknowledged&severity=warning%2Ccritical&assignee=u1");
    expect(alertsFilterOf(new URLSearchParams(alertsFilterSearch(f).slice(1)))).toEqual(f);
    expect(alertsFilterSearch(DEFAULT_ALERTS_FILTER)).toBe("");
    expect(alertsApiQuery(f, 100)).toEqual({ state: "acknowledged", severity: "warning,critical", assignee: "u1", limit: "100" });
  });
});

describe("an alert's subject", () => {
  it("names what it is about and the account Enter opens", () => {
    expect(alertSubject({ subject: "account:a:1", accountId: "a:1", marketId: null })).toEqual({ label: "a:1", accountId: "a:1" });
    expect(alertSubject({ subject: "market:BTC-PERP", accountId: null, marketId: "BTC-PERP" })).toEqual({ label: "market BTC-PERP", accountId: null });
    expect(alertSubject({ subject: "fund", accountId: "w1", marketId: null })).toEqual({ label: "fund · w1", accountId: "w1" });
    expect(alertSubject({ subject: "fund", accountId: null, marketId: null })).toEqual({ label: "insurance fund", accountId: null });
    expect(alertSubject({ subject: "queue", accountId: null, marketId: null }).label).toBe("liquidation queue");
  });

  it("is snoozed only while unresolved and before its time", () => {
    expect(isSnoozed({ state: "open", snoozedUntil: 2000 }, 1000)).toBe(true);
    expect(isSnoozed({ state: "open", snoozedUntil: 2000 }, 2000)).toBe(false);
    expect(isSnoozed({ state: "resolved", snoozedUntil: 2000 }, 1000)).toBe(false);
    expect(isSnoozed({ state: "acknowledged", snoozedUntil: null }, 1000)).toBe(false);
  });
});
