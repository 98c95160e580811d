import "server-only";
import type { AlertRuleView, AlertSignal } from "@/lib/contracts/alerts";
import { formatDateTime } from "@/lib/format/time";

/** What the producer needs of a market's mark: LiveMarkets' stale flag and when its newest price arrived. */
export interface MarketState {
  readonly marketId: string;
  readonly stale: boolean;
  /** When the newest price behind the mark was received (server clock); null: never priced. */
  readonly markTs: number | null;
}

export interface MarketStaleDeps {
  /** Every signal goes here (AlertsService.apply: the one way signals become alerts). */
  apply(signals: AlertSignal[]): void;
  /** The enabled market_stale rules as they are now. */
  rules(): readonly AlertRuleView[];
  /** A market without a source fresher than this is stale (spec §7). */
  staleAfterMs: number;
  now(): number;
}

const subjectOf = (marketId: string) => `market:${marketId}`;

/**
 * `market_stale` alerts, raised and cleared on the leader as LiveMarkets' stale flag of a market
 * flips (the runtime calls `onMark` with each mark update it already computes: no loop of its own
 * over the markets). A market stale since `since` raises under each rule whose scope holds it once
 * it has been stale for the rule's `minDurationMs` (a timer per rule and market waits for that);
 * fresh again, it clears them all. `reconcile` (at start, and after the rules change) raises what
 * holds and clears what does not, so a restart or a failover loses no alert and, with the store's
 * one-unresolved rule, doubles none.
 */
export class MarketStaleAlerts {
  /** Stale markets and since when (ms); a fresh one is absent. */
  private readonly staleSince = new Map<string, number>();
  private readonly known = new Set<string>();
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly deps: MarketStaleDeps) {}

  /** The market's mark changed (or its staleness); only a flip of the flag does anything. */
  onMark(state: MarketState): void {
    const wasStale = this.staleSince.has(state.marketId);
    const known = this.known.has(state.marketId);
    if (known && wasStale === state.stale) return;
    this.known.add(state.marketId);
    const now = this.deps.now();
    if (state.stale) {
      this.staleSince.set(state.marketId, this.sinceOf(state, now));
      this.deps.apply(this.raises(state.marketId, now));
    } else {
      this.staleSince.delete(state.marketId);
      this.cancel(state.marketId);
      this.deps.apply(this.clears(state.marketId, now));
    }
  }

  /** Every market as it is now: raise what holds (or wait for its minimum duration), clear the rest. */
  reconcile(markets: readonly MarketState[]): void {
    const now = this.deps.now();
    for (const key of [...this.timers.keys()]) this.cancelKey(key);
    const signals: AlertSignal[] = [];
    for (const m of markets) {
      this.known.add(m.marketId);
      const held = this.staleSince.get(m.marketId);
      if (m.stale) this.staleSince.set(m.marketId, held ?? this.sinceOf(m, now));
      else this.staleSince.delete(m.marketId);
      signals.push(...(m.stale ? this.raises(m.marketId, now) : []), ...this.clears(m.marketId, now, !m.stale));
    }
    this.deps.apply(signals);
  }

  stop(): void {
    for (const key of [...this.timers.keys()]) this.cancelKey(key);
  }

  /**
   * When it turned stale: its newest price's receipt plus the staleness limit (the flag is judged
   * once a second, so a little before now); a market never priced, from now on.
   */
  private sinceOf(state: MarketState, now: number): number {
    return state.markTs === null ? now : Math.min(now, state.markTs + this.deps.staleAfterMs);
  }

  private applies(rule: AlertRuleView, marketId: string): boolean {
    return rule.scope === "all" || (rule.scope === "market" && rule.marketId === marketId);
  }

  /** The raises due now for a stale market; a timer for each rule whose minimum duration is still running. */
  private raises(marketId: string, now: number): AlertSignal[] {
    const since = this.staleSince.get(marketId)!;
    const out: AlertSignal[] = [];
    for (const rule of this.deps.rules()) {
      if (!this.applies(rule, marketId)) continue;
      const due = since + Number(rule.params.minDurationMs ?? 0);
      if (due <= now) out.push(this.raise(rule, marketId, since, due));
      else this.schedule(rule.id, marketId, since, due - now);
    }
    return out;
  }

  /** Clears for a market: under every rule when it is fresh (`all`), else under the rules whose scope no longer holds it. */
  private clears(marketId: string, now: number, all = true): AlertSignal[] {
    return this.deps.rules()
      .filter((rule) => all || !this.applies(rule, marketId))
      .map((rule) => ({ ruleId: rule.id, subject: subjectOf(marketId), raise: false, at: now, marketId }));
  }

  private raise(rule: AlertRuleView, marketId: string, since: number, at: number): AlertSignal {
    const min = Number(rule.params.minDurationMs ?? 0);
    const message = `${marketId}: no fresh price since ${formatDateTime(since)} UTC`
      + `${min > 0 ? ` (stale for ${Math.round(min / 1000)} s or more)` : ""}; its positions' figures are not current`;
    return { ruleId: rule.id, subject: subjectOf(marketId), raise: true, at, marketId, message };
  }

  private schedule(ruleId: string, marketId: string, since: number, delayMs: number): void {
    const key = `${ruleId}\u0000${marketId}`;
    this.cancelKey(key);
    const timer = setTimeout(() => {
      this.timers.delete(key);
      // Still stale since then (a flip in between would have cancelled this timer), and the rule still applies.
      if (this.staleSince.get(marketId) !== since) return;
      const rule = this.deps.rules().find((r) => r.id === ruleId);
      if (!rule || !this.applies(rule, marketId)) return;
      this.deps.apply([this.raise(rule, marketId, since, since + Number(rule.params.minDurationMs ?? 0))]);
    }, delayMs);
    timer.unref();
    this.timers.set(key, timer);
  }

  private cancel(marketId: string): void {
    for (const key of [...this.timers.keys()]) if (key.endsWith(`\u0000${marketId}`)) this.cancelKey(key);
  }

  private cancelKey(key: string): void {
    const timer = this.timers.get(key);
    if (timer) clearTimeout(timer);
    this.timers.delete(key);
  }
}
