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

const MINUS = "\u2212";

/**
 * `formatMarginRatio(ratio)` (one decimal, rounded up, "∞" for none), the same text without
 * Intl for ratios under 1000% (a burst of 10,000 raises formats 10,000 of them in the engine's
 * thread; `alert-text.test.ts` checks the two agree).
 */
export function ratioText(ratio: number): string {
  if (!Number.isFinite(ratio)) return formatMarginRatio(null);
  const up = Math.ceil(Number((ratio * 100 * 10).toFixed(6))) / 10;
  return up >= 0 && up < 1000 ? `${up.toFixed(1)}%` : formatMarginRatio(ratio);
}

/**
 * `formatUsd(x)` (cents, thousands separators, "−"), the same text without Intl for amounts from a
 * cent to 1e15: like Intl, it rounds the number's shortest decimal form half away from zero (0.015
 * is "0.02", where `toFixed` gives "0.01"). Below a cent formatUsd shows the first significant
 * digits: left to it. `alert-text.test.ts` checks the two agree.
 */
export function usdText(x: number): string {
  const abs = Math.abs(x);
  const shortest = String(abs);
  if (!(abs >= 0.01 && abs < 1e15) || shortest.includes("e")) return formatUsd(x);
  const dot = shortest.indexOf(".");
  let whole = dot < 0 ? shortest : shortest.slice(0, dot);
  let cents = dot < 0 ? "00" : shortest.slice(dot + 1, dot + 3).padEnd(2, "0");
  if (dot >= 0 && shortest.charCodeAt(dot + 3) >= 53 /* "5" */) {
    const up = (BigInt(whole + cents) + 1n).toString().padStart(3, "0");
    whole = up.slice(0, -2);
    cents = up.slice(-2);
  }
  let out = "";
  let i = whole.length;
  for (; i > 3; i -= 3) out = `,${whole.slice(i - 3, i)}${out}`;
  out = `${whole.slice(0, i)}${out}.${cents}`;
  return x < 0 ? MINUS + out : out;
}

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
        message: `status ${LIVE_STATUSES[f.status]} (${LIVE_STATUSES[rule.status]} or worse); margin ratio ${ratioText(f.ratio)}, equity ${usdText(f.equity)} USD`,
      };
    case RULE_RATIO:
      return Number.isFinite(f.ratio)
        ? { value: f.ratio, message: `margin ratio ${ratioText(f.ratio)} ≥ ${thresholdText(rule.threshold)}` }
        : { value: undefined, message: `margin ratio ∞ (equity ${usdText(f.equity)} USD ≤ 0) ≥ ${thresholdText(rule.threshold)}` };
    case RULE_DEBT:
      return { value: f.collateral, message: `collateral ${usdText(f.collateral)} USD < 0: the account carries a debt` };
    default:
      throw new RangeError(`rule ${rule.id} (${rule.kind}) is not an account rule`);
  }
}

/** The value and message of a queue rule's raise. */
export function queueAlertText(rule: CompiledAlertRule, pendingNotional: number): AlertText {
  if (rule.code !== RULE_QUEUE) throw new RangeError(`rule ${rule.id} (${rule.kind}) is not a queue rule`);
  return { value: pendingNotional, message: `pending liquidation notional ${formatUsd(pendingNotional)} USD > ${formatUsd(rule.threshold)} USD` };
}
