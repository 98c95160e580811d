import type { AlertRuleView, AlertSignal } from "@/lib/contracts/alerts";
import { AlertEvaluator, type LiveBook } from "@/lib/engine";
import { pricedBook } from "../helpers/book";

/**
 * A position whose maintenance margin is exactly 120 USD: 0.5 BTC at 60,000 (notional 30,000,
 * tier 1, MMR 0.4%), entered at the mark (no PnL). Its margin ratio is 120 / collateral, so a
 * collateral of 150 is 80% (warning), 120 is 100% (liquidatable), below 80 backstop, ≤ 0 bankrupt.
 */
export const MM = 120;

/** The collateral that puts such an account at margin ratio `ratio` (Infinity: equity below 0). */
export const collateralFor = (ratio: number) => (ratio === Infinity ? -10 : MM / ratio);

/** A book holding one such position per id, each with 10,000 USD of collateral (ratio 1.2%). */
export function bookWith(ids: readonly string[]): LiveBook {
  const book = pricedBook();
  for (const id of ids) {
    book.setPosition(id, "BTC-PERP", 0.5, 60000);
    book.setCollateral(id, 10_000);
  }
  book.drainChanges();
  return book;
}

export function rule(over: Partial<AlertRuleView> & Pick<AlertRuleView, "kind" | "params">): AlertRuleView {
  return {
    id: "r", name: "test rule", severity: "warning", scope: "all", marketId: null, accountIds: [], enabled: true, system: false, updatedAt: 0, ...over,
  };
}

/** An evaluator on `book` with `rules` set at time `now` (no open alerts). */
export function evaluatorOn(book: LiveBook, rules: AlertRuleView[], now = 0): { alerts: AlertEvaluator; first: AlertSignal[] } {
  const alerts = new AlertEvaluator(book);
  alerts.setRules(rules, [], now);
  return { alerts, first: alerts.drain(now) };
}

/** Signals as `[at, "raise" | "clear", subject]`, the part the tables compare. */
export const brief = (signals: readonly AlertSignal[]) => signals.map((s) => [s.at, s.raise ? "raise" : "clear", s.subject] as const);
