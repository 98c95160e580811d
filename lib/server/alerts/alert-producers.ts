import "server-only";
import type { AlertRuleKind, AlertRuleView, AlertSignal } from "@/lib/contracts/alerts";
import type { InsuranceFundView, LiquidationEventView } from "@/lib/contracts/desk";
import type { PrismaClient } from "../db/prisma-client";
import type { Logger } from "../logger";
import { FundAlerts } from "./fund-alerts";
import { MarketStaleAlerts, type MarketState } from "./market-stale-alerts";

/** What the producers need of the alerts service (lib/server/services/alerts.ts). */
export interface AlertSink {
  apply(signals: readonly AlertSignal[]): Promise<unknown>;
  enabledRules(kind: AlertRuleKind): AlertRuleView[];
  addReconciler(reconcile: () => void | Promise<void>): void;
}

/**
 * The main thread's alert producers on the leader, fed by what the runtime already computes: a
 * market's mark update (`onMark`), an executed liquidation step (`onStep`), the fund's runway
 * (`onRunway`). Each registers its reconciliation with the service (run at start and after a rule
 * change). The engine's account and queue rules are evaluated in the engine (not here).
 */
export class AlertProducers {
  private readonly markets: MarketStaleAlerts;
  private readonly fund: FundAlerts;

  private readonly log: Logger;

  constructor(sink: AlertSink, deps: { prisma: PrismaClient; log: Logger; staleAfterMs: number; marketStates(): MarketState[]; now?: () => number }) {
    this.log = deps.log;
    const now = deps.now ?? Date.now;
    // Failures are logged by the service; a producer never waits for its signals.
    const apply = (signals: AlertSignal[]) => {
      if (signals.length > 0) void sink.apply(signals).catch(() => undefined);
    };
    this.markets = new MarketStaleAlerts({ apply, rules: () => sink.enabledRules("market_stale"), staleAfterMs: deps.staleAfterMs, now });
    this.fund = new FundAlerts({ apply, rules: (kind) => sink.enabledRules(kind), prisma: deps.prisma, now });
    sink.addReconciler(() => this.markets.reconcile(deps.marketStates()));
    sink.addReconciler(() => this.fund.reconcile());
  }

  /** A market's mark update (LiveMarkets.refresh answered one): its stale flag may have flipped. */
  onMark(update: MarketState): void {
    this.markets.onMark(update);
  }

  /** An executed liquidation step and the bad debt it left uncovered (decimal string, "0" if none). */
  onStep(event: LiquidationEventView, step: { uncoveredBadDebt: string }): void {
    if (!(Number(step.uncoveredBadDebt) > 0)) return;
    void this.fund.onUncovered({ accountId: event.accountId, eventId: event.id, uncovered: step.uncoveredBadDebt, at: event.executedAt })
      .catch((error: unknown) => this.log.error({ err: error, accountId: event.accountId }, "uncovered bad debt alert failed (raised at the next start)"));
  }

  /** The fund's runway was computed (DeskStream). */
  onRunway(fund: InsuranceFundView): void {
    this.fund.onRunway(fund.coversMove, fund.coversMoveTs ?? Date.now(), fund.coversMoveUnknownAccounts);
  }

  stop(): void {
    this.markets.stop();
  }
}
