import type { AlertRuleKind } from "@/lib/contracts/alerts";
import { formatMarginRatio, formatPct } from "./percent";
import { formatCount } from "./quantity";
import { formatUsd } from "./usd";

/** What an alert's `value` is, by its rule's kind, as a label and the figure with its unit. */
export function formatAlertValue(kind: AlertRuleKind, value: number): { label: string; text: string } {
  switch (kind) {
    case "status_enter":
    case "ratio_above":
      return { label: "Margin ratio", text: formatMarginRatio(value) };
    case "negative_collateral":
      return { label: "Collateral", text: `${formatUsd(value)} USD` };
    case "queue_notional_above":
      return { label: "Queue notional", text: `${formatUsd(value)} USD` };
    case "uncovered_bad_debt":
      return { label: "Uncovered in all", text: `${formatUsd(value)} USD` };
    case "margin_call_expired":
      return { label: "Amount called", text: `${formatUsd(value)} USD` };
    case "fund_runway_below":
      return { label: "Fund covers a fall of", text: formatPct(value, 1) };
    case "webhook_disabled":
      return { label: "Failed attempts", text: formatCount(value) };
    case "market_stale":
      return { label: "Value", text: String(value) };
  }
}
