import { formatMarginRatio } from "@/lib/format/percent";
import { formatUsd } from "@/lib/format/usd";
import { LIVE_STATUSES } from "@/lib/risk";
import { RULE_DEBT, RULE_QUEUE, RULE_RATIO, RULE_STATUS, type CompiledAlertRule } from "./compile-rules";

/** An account's figures as a raise reads them (from the book's kept sums). */
export interface AlertFigures {
  readonly status: number;
  readonly collateral: number;
  readonly equity: number;
  /** MM / equity; `Infinity` when equity ≤ 0 with positions; 0 without a position. */
  readonly ratio: number;
}

/** What a raise says: the figure behind it (a margin ratio, USD) and the words, with units. */
export interface AlertText {
  readonly value: number | undefined;
  readonly message: string;
}

const ratioText = (ratio: number) => formatMarginRatio(Number.isFinite(ratio) ? ratio : null);
/** A rule's threshold as text, formatted once (a burst of raises formats only the figures). */
const thresholds = new Map<number, string>();
function thresholdText(threshold: number): string {
  let text = thresholds.get(threshold);
  if (text === undefined) thresholds.set(threshold, (text = formatMarginRatio(threshold)));
  return text;
}
const finiteOr = (x: number) => (Number.isFinite(x) ? x : undefined);

/** The value and message of an account rule's raise (`margin ratio 91.2% ≥ 90.0%`). */
export function accountAlertText(rule: CompiledAlertRule, f: AlertFigures): AlertText {
  switch (rule.code) {
    case RULE_STATUS:
      return {
        value: finiteOr(f.ratio),
        message: `status ${LIVE_STATUSES[f.status]} (${LIVE_STATUSES[rule.status]} or worse); margin ratio ${ratioText(f.ratio)}, equity ${formatUsd(f.equity)} USD`,
      };
    case RULE_RATIO:
      return Number.isFinite(f.ratio)
        ? { value: f.ratio, message: `margin ratio ${ratioText(f.ratio)} ≥ ${thresholdText(rule.threshold)}` }
        : { value: undefined, message: `margin ratio ∞ (equity ${formatUsd(f.equity)} USD ≤ 0) ≥ ${thresholdText(rule.threshold)}` };
    case RULE_DEBT:
      return { value: f.collateral, message: `collateral ${formatUsd(f.collateral)} USD < 0: the account carries a debt` };
    default:
      throw new RangeError(`rule ${rule.id} (${rule.kind}) is not an account rule`);
  }
}

/** The value and message of a queue rule's raise. */
export function queueAlertText(rule: CompiledAlertRule, pendingNotional: number): AlertText {
  if (rule.code !== RULE_QUEUE) throw new RangeError(`rule ${rule.id} (${rule.kind}) is not a queue rule`);
  return { value: pendingNotional, message: `pending liquidation notional ${formatUsd(pendingNotional)} USD > ${formatUsd(rule.threshold)} USD` };
}
