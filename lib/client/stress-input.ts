import { SHOCK_MAX, SHOCK_MIN } from "@/lib/risk";
import { BOUNDS, boundText } from "@/lib/risk/bounds";
import { formatPct } from "@/lib/format/percent";

/** What a box of the stress form holds: the text as typed, read into a number or an error. */
export type BoxReading =
  | { readonly kind: "empty" }
  | { readonly kind: "value"; readonly value: number }
  | { readonly kind: "error"; readonly message: string };

/** A decimal as a person types it: optional sign (`-`, `+` or `−`), digits, one decimal point. */
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

/** The shock range of spec §8 in percent, for the messages. */
export const SHOCK_MIN_PCT = SHOCK_MIN * 100;
export const SHOCK_MAX_PCT = SHOCK_MAX * 100;

function readDecimal(text: string): number | null {
  const t = text.trim().replace(/\u2212/g, "-").replace(/,/g, "");
  if (!DECIMAL.test(t)) return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

/**
 * A market's shock box, in percent of the live mark: empty is no shock; anything else must be a
 * decimal in [−99, +1000] (spec §8). Never capped or changed: out of range is an error naming the
 * market's box and the range.
 */
export function readShockPct(marketId: string, text: string): BoxReading {
  if (text.trim() === "") return { kind: "empty" };
  const pct = readDecimal(text);
  if (pct === null) return { kind: "error", message: `${marketId} shock: "${text.trim()}" is not a number; type a percent such as −15 or 7.5` };
  if (pct < SHOCK_MIN_PCT || pct > SHOCK_MAX_PCT) {
    return { kind: "error", message: `${marketId} shock must be from −99% to +1000% (got ${formatPct(pct / 100, 1, true)}); nothing was run` };
  }
  return { kind: "value", value: pct };
}

/** A market's depth box (USD of net flow per 1% move): empty is the market's own; else a number above 0. */
export function readDepth(marketId: string, text: string): BoxReading {
  if (text.trim() === "") return { kind: "empty" };
  const depth = readDecimal(text);
  const { min, max } = BOUNDS.market.depthPer1Pct; // the server's range (lib/risk/bounds.ts), so the box refuses what the server would
  if (depth === null || depth < min || depth > max) {
    return { kind: "error", message: `${marketId} depth for 1%: must be a number of USD from ${boundText(min)} to ${boundText(max)} (got "${text.trim()}")` };
  }
  return { kind: "value", value: depth };
}

/** The request a valid form makes (shocks as fractions, depth overrides), or every box's error. */
export function stressRequestOf(
  marketIds: readonly string[],
  shockText: Readonly<Record<string, string>>,
  depthText: Readonly<Record<string, string>>,
): { ok: true; shocks: Record<string, number>; depthPer1Pct: Record<string, number> } | { ok: false; errors: string[] } {
  const shocks: Record<string, number> = {};
  const depthPer1Pct: Record<string, number> = {};
  const errors: string[] = [];
  for (const id of marketIds) {
    const shock = readShockPct(id, shockText[id] ?? "");
    if (shock.kind === "error") errors.push(shock.message);
    else if (shock.kind === "value" && shock.value !== 0) shocks[id] = shock.value / 100;
    const depth = readDepth(id, depthText[id] ?? "");
    if (depth.kind === "error") errors.push(depth.message);
    else if (depth.kind === "value") depthPer1Pct[id] = depth.value;
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, shocks, depthPer1Pct };
}
