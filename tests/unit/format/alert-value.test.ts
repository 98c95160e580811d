import { describe, expect, it } from "vitest";
import { formatAlertValue } from "@/lib/format/alert-value";

describe("an alert's figure, labelled with its unit by its rule's kind (never a bare float)", () => {
  it.each([
    ["ratio_above", 1.2627304983202698, "Margin ratio", "126.3%"],
    ["status_enter", 0.8999, "Margin ratio", "90.0%"],
    ["negative_collateral", -12.5, "Collateral", "−12.50 USD"],
    ["queue_notional_above", 12_345_678.9, "Queue notional", "12,345,678.90 USD"],
    ["fund_runway_below", 0.0812, "Fund covers a fall of", "8.1%"],
    ["uncovered_bad_debt", 15.5, "Uncovered in all", "15.50 USD"],
    ["margin_call_expired", 250, "Amount called", "250.00 USD"],
    ["webhook_disabled", 10, "Failed attempts", "10"],
  ] as const)("%s %d → %s %s", (kind, value, label, text) => {
    expect(formatAlertValue(kind, value)).toEqual({ label, text });
  });
});
