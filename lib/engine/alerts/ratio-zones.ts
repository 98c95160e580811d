import { STATUS_UNKNOWN, type RiskParams } from "@/lib/risk";
import type { CompiledAlertRule } from "./compile-rules";

/**
 * The ratio rules' lines, for the tick path's gate (`AlertEvaluator`): ascending, each tested as
 * `ratio ≥ line` — a threshold as it is, a clear line C (met at ratio ≤ C) as the next double above
 * it (ratio > C ⟺ ratio ≥ nextUp(C)). Every test is monotone in the ratio, so their count (the
 * account's zone) changes exactly when one of them does.
 *
 * `varying[status]`: 1 when a line falls in the margin ratios that status allows (spec §3, lib/risk
 * `accountStatusCode`: healthy [0, warn), warning [warn, 1), liquidatable [1, 1/backstop],
 * backstop beyond, bankrupt ∞; taken a little wider for rounding). A status no line falls in has
 * one zone: an account that keeps it cannot have crossed a line. `unknown` is never varying (an
 * unknown account's ratio rules neither raise nor clear).
 */
export function ratioZones(rules: readonly CompiledAlertRule[], params: Pick<RiskParams, "warnRatio" | "backstopFraction">): { lines: Float64Array; varying: Uint8Array } {
  const lines = [...new Set(rules.flatMap((r) => [r.threshold, nextUp(r.clearAt)]))].sort((x, y) => x - y);
  const { warnRatio, backstopFraction } = params;
  const ranges: [number, number][] = [[0, warnRatio], [warnRatio, 1], [1, 1 / backstopFraction], [1 / backstopFraction, Infinity], [Infinity, Infinity]];
  const varying = new Uint8Array(STATUS_UNKNOWN + 1);
  ranges.forEach(([lo, hi], status) => {
    if (Number.isFinite(lo)) varying[status] = lines.some((l) => l >= lo * (1 - 1e-9) && l <= hi * (1 + 1e-9)) ? 1 : 0;
  });
  return { lines: Float64Array.from(lines), varying };
}

/** The smallest double above `x` (x finite and > 0: a clear line). */
export function nextUp(x: number): number {
  const f = new Float64Array([x]);
  const bits = new BigInt64Array(f.buffer);
  bits[0] = bits[0]! + 1n;
  return f[0]!;
}
