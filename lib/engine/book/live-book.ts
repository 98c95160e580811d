import {
  accountStatusCode,
  compileMarket,
  figuresOfResolved,
  health,
  initialMargin,
  lotsOfQty,
  maintenanceMargin,
  marginRatio,
  planPartialLiquidation,
  qtyOfLots,
  resolveRiskParams,
  RiskInputError,
  STATUS_BANKRUPT,
  STATUS_LIQUIDATABLE,
  tierIndex,
  topUpToSafe,
  validateMarket,
  validateRiskParams,
  type Close,
  type CompiledMarket,
  type MarketParams,
  type PlanPosition,
  type ResolvedPosition,
  type RiskIssue,
  type RiskParams,
} from "@/lib/risk";
import { ChangeTracker } from "./change-tracker";
import type {
  AccountRow,
  AccountView,
  AtRiskQuery,
  BookSnapshot,
  BookSummary,
  ChangeSet,
  CollateralDelta,
  CollateralUpdate,
  MarginRows,
  Page,
  PositionUpdate,
  PositionView,
  PriceUpdate,
  QueueEntry,
  QueuePageChanges,
  RatioHistogram,
} from "../engine-types";
import { grow, nextCapacity } from "./grow";
import { LiquidationQueue } from "./liquidation-queue";
import { LIVE_STATUSES, STATUS_UNKNOWN, type LiveStatus } from "../live-status";
import { MarketHolders } from "./market-holders";
import { QueuePageDiff } from "../views/queue-page-diff";
import { RatioHistogramCounter } from "../views/ratio-histogram";
import {
  PositionSlots,
  SLOT_ACCOUNT,
  SLOT_ENTRY,
  SLOT_IM,
  SLOT_MM,
  SLOT_NOTIONAL,
  SLOT_QTY,
  SLOT_STRIDE,
  SLOT_TIER,
  SLOT_UPNL,
} from "./position-slots";
import { selectPage } from "../views/select-page";
import { validateCollateral, validateDeltas, validatePositions, validatePrices } from "./validate-updates";

export interface LiveBookOptions {
  /** Planner and status parameters (spec §6); omitted ones take the defaults. */
  readonly params?: Partial<RiskParams> | undefined;
  /**
   * Drift guard: an account's sums are recomputed from scratch after this many delta updates
   * (1–255, default 128), besides whenever its status would change and whenever it is planned.
   * 128 delta updates of a sum add at most a few hundred ulps of its terms (~1e-13 relative), far
   * inside the 1e-9 the spec allows; resyncing more often costs random reads of the account's
   * other positions.
   */
  readonly resyncEvery?: number | undefined;
  /** Capacity hints (avoid reallocation while loading). */
  readonly expectedAccounts?: number | undefined;
  readonly expectedPositions?: number | undefined;
}

const DEFAULT_RESYNC_EVERY = 128;

/** Fields of an account's hot record in `LiveBook.acc` (4 float64, 32 bytes: what a tick updates). */
const A_COLLATERAL = 0;
const A_UPNL = 1;
const A_MM = 2;
const A_IM = 3;
const A_STRIDE = 4;

/**
 * Dirty queue members `summary()` re-plans before it sums (oldest first); the rest keep their
 * previous plan in the totals until the worker's background refresh reaches them.
 */
const SUMMARY_PLAN_LIMIT = 500;

/** Most accounts `BookSummary.debt.largest` lists. */
const DEBT_ROWS = 50;

/** Most issues a rejected batch reports (the count of the rest follows). */
const MAX_ISSUES = 100;

function throwIfAny(issues: RiskIssue[]): void {
  if (issues.length === 0) return;
  if (issues.length <= MAX_ISSUES) throw new RiskInputError(issues);
  const rest = { path: issues[MAX_ISSUES]!.path.slice(0, 1), message: `and ${issues.length - MAX_ISSUES} more issues` };
  throw new RiskInputError([...issues.slice(0, MAX_ISSUES), rest]);
}

/**
 * The engine's live state (DESIGN "Engine"): markets, marks, accounts and positions keyed by small
 * integers in typed arrays, valued incrementally. Pure and synchronous: no I/O, no clock (callers
 * pass `now`), no globals.
 *
 * - Markets: compiled (`compileMarket`), index by id; a mark (NaN until the first price) and a
 *   stale flag each. A market without a mark is stale and its positions' figures are unknown (spec
 *   §7: never valued at the entry price): they add nothing to their account's sums, the account
 *   counts them (`unpriced`) and its status is `unknown` — not queued, not liquidated, its figures
 *   `null` in rows and views — until the market's first price.
 * - Accounts: id ↔ index; a hot record of 4 float64 per account (`acc`: collateral and the sums
 *   `Σ upnl`, `Σ MM`, `Σ IM`, 32 bytes, 8 MB for 250,000 accounts); status code, position count
 *   and delta updates since the last resync in small arrays; the head of its position list.
 * - Positions: `PositionSlots` (one 64-byte record per position with its cached figures, allocated
 *   in per-market blocks, plus structural Int32Arrays: ~76 bytes each); `MarketHolders` lists the
 *   slots of each market. A tick walks its market's records nearly in memory order and touches one
 *   32-byte account record per holder.
 * - `setMark(m, p)` revalues only the slots in `m`'s holder list: each position's figures are
 *   recomputed from scratch at the new mark (lib/risk `tierIndex`, `maintenanceMargin`,
 *   `initialMargin`) and its account's sums move by (new − old). Each account holds at most one
 *   position per market, so a tick touches each holder account once.
 * - Drift guard: the sums are recomputed from the positions (a) every `resyncEvery` delta updates
 *   of the account (counters start staggered so holders of a market do not all resync on one
 *   tick), (b) whenever a delta update would change its status, so a status line is never
 *   crossed on accumulated rounding, (c) whenever the account is planned or viewed, and they are
 *   reset to exactly 0 when its last position closes.
 * - The liquidation queue follows each status change at once; plans are recomputed lazily for the
 *   members whose figures changed (see `LiquidationQueue`).
 */
export class LiveBook {
  readonly params: RiskParams;
  private readonly resyncEvery: number;

  private readonly compiled: CompiledMarket[] = [];
  private readonly marketIndex = new Map<string, number>();
  private marks = new Float64Array(0);
  private staleFlag = new Uint8Array(0);
  private readonly holders = new MarketHolders();

  private readonly ids: string[] = [];
  private readonly accountIndex = new Map<string, number>();
  private accountCapacity = 0;
  private acc = new Float64Array(0);
  private status = new Uint8Array(0);
  private count = new Uint16Array(0);
  /** Delta updates since the account's sums were last recomputed from scratch. */
  private deltaOps = new Uint8Array(0);
  private head = new Int32Array(0);
  /** Positions of the account in markets never priced (its figures are unknown while > 0). */
  private unpriced = new Uint16Array(0);
  private readonly slots: PositionSlots;
  private readonly statusCounts = LIVE_STATUSES.map(() => 0);
  private withPositions = 0;

  private readonly queue: LiquidationQueue;
  private readonly changes = new ChangeTracker();
  private readonly queueDiff = new QueuePageDiff();
  /** Goes up whenever a market turns stale or fresh (queue pauses depend on it). */
  private staleEpoch = 0;

  /** Accounts revalued by the last `setMark`/`applyPrices` (each counted once per market). */
  lastTouched = 0;
  /** From-scratch recomputations of account sums so far (drift guard), for tests and metrics. */
  resyncs = 0;

  constructor(options: LiveBookOptions = {}) {
    throwIfAny(validateRiskParams(options.params ?? undefined));
    this.params = resolveRiskParams(options.params);
    const every = options.resyncEvery ?? DEFAULT_RESYNC_EVERY;
    if (!Number.isInteger(every) || every < 1 || every > 255) throw new RangeError(`resyncEvery must be a whole number in 1..255, got ${every}`);
    this.resyncEvery = every;
    this.slots = new PositionSlots(options.expectedPositions ?? 1024);
    this.queue = new LiquidationQueue(
      {
        accountId: (a) => this.ids[a]!,
        statusCode: (a) => this.status[a]!,
        equity: (a) => this.equityOf(a),
        maintenanceMargin: (a) => this.acc[a * A_STRIDE + A_MM]!,
        resync: (a) => this.resync(a),
        planPositions: (a) => this.planPositions(a),
        staleMarketsHeld: (a) => this.staleMarketsHeld(a),
        stalenessEpoch: () => this.staleEpoch,
        stepTiers: (a, step) => this.stepTiers(a, step),
      },
      this.params,
    );
    this.ensureAccounts(options.expectedAccounts ?? 1024);
  }

  // ---- markets -------------------------------------------------------------------------------

  /**
   * Adds a market or replaces its parameters (validated by lib/risk `validateMarket`; throws
   * `RiskInputError` naming the field). A new market is stale until its first price; a changed one
   * revalues every position in it.
   */
  upsertMarket(params: MarketParams): void {
    throwIfAny(validateMarket(params, ["market"]));
    const compiled = compileMarket(params);
    let m = this.marketIndex.get(params.id);
    if (m === undefined) {
      m = this.compiled.length;
      this.compiled.push(compiled);
      this.marketIndex.set(params.id, m);
      this.holders.addMarket(m);
      if (this.marks.length <= m) {
        const c = nextCapacity(this.marks.length, m + 1);
        this.marks = grow(this.marks, c, NaN);
        this.staleFlag = grow(this.staleFlag, c, 1);
      }
      this.marks[m] = NaN;
      this.staleFlag[m] = 1;
      this.staleEpoch++;
    } else {
      this.compiled[m] = compiled;
      this.revalueMarket(m);
    }
    this.changes.market(m);
  }

  /** Sets the mark of a market (spec §7: the median of its fresh sources, or the last one when `stale`); returns accounts touched. */
  setMark(marketId: string, price: number, stale = false): number {
    throwIfAny(validatePrices([{ marketId, price }], (id) => this.compiledOf(id)));
    return this.applyMark(this.marketIndex.get(marketId)!, price, stale);
  }

  /** Marks a market stale or fresh without moving its mark: pauses or resumes liquidations touching it. */
  setStale(marketId: string, stale: boolean): void {
    const m = this.marketIndex.get(marketId);
    if (m === undefined) throw new RiskInputError([{ path: ["marketId"], message: `unknown market ${marketId}` }]);
    this.setStaleIndex(m, stale);
  }

  /**
   * Applies a batch of marks, checked whole first (nothing applied on a bad one). Only the last
   * mark of each market in the batch is applied: a revaluation depends on the mark, not the path.
   * Returns accounts touched.
   */
  applyPrices(updates: readonly PriceUpdate[]): number {
    throwIfAny(validatePrices(updates, (id) => this.compiledOf(id)));
    const last = new Map<number, PriceUpdate>();
    for (const u of updates) {
      const m = this.marketIndex.get(u.marketId)!;
      last.delete(m);
      last.set(m, u);
    }
    let touched = 0;
    for (const [m, u] of last) touched += this.applyMark(m, u.price, u.stale ?? false);
    this.lastTouched = touched;
    return touched;
  }

  /** Checks a batch of marks as `applyPrices` would, without applying it (throws `RiskInputError`). */
  checkPrices(updates: readonly PriceUpdate[]): void {
    throwIfAny(validatePrices(updates, (id) => this.compiledOf(id)));
  }

  marketIds(): string[] {
    return this.compiled.map((m) => m.id);
  }

  /** The mark of a market, `null` before its first price. */
  markOf(marketId: string): number | null {
    const m = this.marketIndex.get(marketId);
    if (m === undefined) return null;
    const p = this.marks[m]!;
    return Number.isNaN(p) ? null : p;
  }

  isStale(marketId: string): boolean {
    const m = this.marketIndex.get(marketId);
    return m === undefined || this.isStaleIndex(m);
  }

  /** Positions held in a market. */
  holdersOf(marketId: string): number {
    const m = this.marketIndex.get(marketId);
    return m === undefined ? 0 : this.holders.count(m);
  }

  // ---- positions and collateral --------------------------------------------------------------

  /** Sets the full state of one position (`qty` 0 removes it); an unknown account is created. */
  setPosition(accountId: string, marketId: string, qty: number, entryPrice: number): void {
    this.applyPositions([{ accountId, marketId, qty, entryPrice }]);
  }

  /** Applies a batch of position states, checked whole first. */
  applyPositions(updates: readonly PositionUpdate[]): void {
    throwIfAny(validatePositions(updates, (id) => this.compiledOf(id)));
    for (const u of updates) this.applyPosition(this.accountOf(u.accountId), this.marketIndex.get(u.marketId)!, u.qty, u.entryPrice);
  }

  /** Sets an account's collateral (creating the account if unknown). */
  setCollateral(accountId: string, amount: number): void {
    this.applyCollateral([{ accountId, amount }]);
  }

  /** Moves an account's collateral by `delta` (a top-up, funding, a fee). */
  addCollateral(accountId: string, delta: number): void {
    this.applyCollateralDeltas([{ accountId, delta }]);
  }

  applyCollateral(updates: readonly CollateralUpdate[]): void {
    throwIfAny(validateCollateral(updates));
    for (const u of updates) {
      const a = this.accountOf(u.accountId);
      this.noteDebt(this.acc[a * A_STRIDE + A_COLLATERAL]!, u.amount);
      this.acc[a * A_STRIDE + A_COLLATERAL] = u.amount;
      this.settle(a, false);
    }
  }

  applyCollateralDeltas(deltas: readonly CollateralDelta[]): void {
    throwIfAny(validateDeltas(deltas));
    for (const u of deltas) {
      const a = this.accountOf(u.accountId);
      const before = this.acc[a * A_STRIDE + A_COLLATERAL]!;
      this.noteDebt(before, before + u.delta);
      this.acc[a * A_STRIDE + A_COLLATERAL] = before + u.delta;
      this.settle(a, false);
    }
  }

  /** The summary's debt list changes when a collateral below 0 changes or crosses 0. */
  private noteDebt(before: number, after: number): void {
    if ((before < 0 || after < 0) && before !== after) this.changes.summary();
  }

  hasAccount(accountId: string): boolean {
    return this.accountIndex.has(accountId);
  }

  get accountCount(): number {
    return this.ids.length;
  }

  get positionCount(): number {
    return this.slots.live;
  }

  // ---- queries -------------------------------------------------------------------------------

  /**
   * One account as a list row, from the incrementally kept sums (no resync): what lists and the
   * drift property test read. `null` for an unknown account.
   */
  accountRow(accountId: string): AccountRow | null {
    const a = this.accountIndex.get(accountId);
    return a === undefined ? null : this.rowOf(a);
  }

  /**
   * Everything about one account at current marks: figures of spec §3 (sums recomputed from
   * scratch first), positions with tier and liquidation price (lib/risk `figuresOfResolved`), the
   * plan of spec §6, top-up amounts and its queue entry (cool-down measured at `now`).
   */
  accountView(accountId: string, now: number): AccountView | null {
    const a = this.accountIndex.get(accountId);
    if (a === undefined) return null;
    this.resync(a);
    const sl = this.slots;
    const slotsOf: number[] = [];
    for (let s = this.head[a]!; s !== -1; s = sl.next[s]!) slotsOf.push(s);
    slotsOf.sort((x, y) => {
      const ix = this.compiled[sl.market[x]!]!.id;
      const iy = this.compiled[sl.market[y]!]!.id;
      return ix < iy ? -1 : ix > iy ? 1 : 0;
    });
    const o = a * A_STRIDE;
    const collateral = this.acc[o + A_COLLATERAL]!;
    const row = this.rowOf(a);
    if (row.unpricedMarkets.length > 0) return this.unknownView(row, slotsOf);
    const resolved: ResolvedPosition[] = slotsOf.map((s) => ({
      market: this.compiled[sl.market[s]!]!,
      qty: sl.qty(s),
      entryPrice: sl.entryPrice(s),
      markPrice: this.priceFor(s),
    }));
    const figures = figuresOfResolved(collateral, resolved, this.params);
    const positions: PositionView[] = figures.positions.map((p, i) => ({
      marketId: p.marketId,
      qty: p.qty,
      entryPrice: resolved[i]!.entryPrice,
      markPrice: resolved[i]!.markPrice,
      stale: this.isStaleIndex(sl.market[slotsOf[i]!]!),
      notional: p.notional,
      unrealizedPnl: p.unrealizedPnl,
      maintenanceMargin: p.maintenanceMargin,
      initialMargin: p.initialMargin,
      tier: p.tier,
      liquidationPrice: p.liquidationPrice,
    }));
    const equity = row.equity!;
    const mm = row.maintenanceMargin!;
    const entry = this.queue.entryOf(a, now);
    const plan = entry?.plan ?? planPartialLiquidation(equity, resolved, this.params);
    return {
      accountId,
      collateral,
      equity,
      maintenanceMargin: mm,
      initialMargin: row.initialMargin,
      marginRatio: row.marginRatio,
      health: row.health,
      status: row.status,
      notional: row.notional,
      unpricedMarkets: [],
      positions,
      liquidation: plan,
      topUp: {
        toMaintenance: topUpToSafe(equity, mm, 1),
        toHealthy: topUpToSafe(equity, mm, this.params.warnRatio),
      },
      queue: entry,
    };
  }

  /**
   * The view of an account holding a position in a market never priced: each priced position's
   * own figures at its mark (its liquidation price needs the account's equity: unknown), the
   * unpriced ones without figures, and no account figure, plan or top-up (spec §7).
   */
  private unknownView(row: AccountRow, slotsOf: number[]): AccountView {
    const sl = this.slots;
    const positions: PositionView[] = slotsOf.map((s) => {
      const m = sl.market[s]!;
      const priced = !Number.isNaN(this.marks[m]!);
      const o = s * SLOT_STRIDE;
      const rec = sl.rec;
      return {
        marketId: this.compiled[m]!.id,
        qty: sl.qty(s),
        entryPrice: sl.entryPrice(s),
        markPrice: priced ? this.marks[m]! : null,
        stale: this.isStaleIndex(m),
        notional: priced ? rec[o + SLOT_NOTIONAL]! : null,
        unrealizedPnl: priced ? rec[o + SLOT_UPNL]! : null,
        maintenanceMargin: priced ? rec[o + SLOT_MM]! : null,
        initialMargin: priced ? rec[o + SLOT_IM]! : null,
        tier: priced ? rec[o + SLOT_TIER]! + 1 : null,
        liquidationPrice: null,
      };
    });
    return { ...row, positions, liquidation: null, topUp: null, queue: null };
  }

  /** Book-wide figures: accounts by status, MM shortfall, planned close notional, deficits, stale markets. */
  summary(): BookSummary {
    const totals = this.queue.totals(SUMMARY_PLAN_LIMIT);
    const byStatus = {} as Record<LiveStatus, number>;
    LIVE_STATUSES.forEach((s, i) => (byStatus[s] = this.statusCounts[i]!));
    const staleMarkets: string[] = [];
    for (let m = 0; m < this.compiled.length; m++) if (this.isStaleIndex(m)) staleMarkets.push(this.compiled[m]!.id);
    return {
      markets: this.compiled.length,
      staleMarkets,
      accounts: this.ids.length,
      accountsWithPositions: this.withPositions,
      positions: this.slots.live,
      byStatus,
      mmShortfall: totals.shortfall,
      pendingNotional: totals.pendingNotional,
      expectedDeficit: totals.expectedDeficit,
      queue: { size: this.queue.length, paused: totals.paused, byMode: totals.byMode, plansPending: totals.plansPending },
      debt: this.debt(),
    };
  }

  /** Accounts whose collateral is below 0 (a debt), their total and the largest `DEBT_ROWS`. */
  private debt(): BookSummary["debt"] {
    const indebted: number[] = [];
    let total = 0;
    for (let a = 0; a < this.ids.length; a++) {
      const c = this.acc[a * A_STRIDE + A_COLLATERAL]!;
      if (c < 0) {
        indebted.push(a);
        total -= c;
      }
    }
    const collateral = (a: number) => this.acc[a * A_STRIDE + A_COLLATERAL]!;
    indebted.sort((x, y) => collateral(x) - collateral(y) || (this.ids[x]! < this.ids[y]! ? -1 : 1));
    return { accounts: indebted.length, total, largest: indebted.slice(0, DEBT_ROWS).map((a) => this.rowOf(a)) };
  }

  /**
   * Accounts filtered by status, market held and least margin ratio, sorted by margin ratio
   * (default riskiest first: equity <= 0 above every ratio, accounts without positions last), ties
   * by account id; one page. Figures are the incrementally kept sums.
   */
  atRisk(query: AtRiskQuery = {}): Page<AccountRow> {
    const offset = Math.max(0, Math.floor(query.offset ?? 0));
    const limit = Math.max(0, Math.floor(query.limit ?? 50));
    let mask = 0;
    if (query.status !== undefined) {
      const list = typeof query.status === "string" ? [query.status] : query.status;
      for (const s of list) mask |= 1 << LIVE_STATUSES.indexOf(s);
    } else mask = 0xff;
    const minRatio = query.minRatio;
    const prefix = query.idPrefix ?? "";
    const acc = this.acc;
    const keep = (a: number): boolean => {
      const o = a * A_STRIDE;
      if (!(mask & (1 << this.status[a]!))) return false;
      if (prefix && !this.ids[a]!.startsWith(prefix)) return false;
      if (minRatio === undefined || this.unpriced[a]! > 0) return true;
      const r = marginRatio(acc[o + A_COLLATERAL]! + acc[o + A_UPNL]!, acc[o + A_MM]!, this.count[a]! > 0);
      return r === null || r >= minRatio;
    };
    const candidates: number[] = [];
    if (query.market !== undefined) {
      const m = this.marketIndex.get(query.market);
      if (m !== undefined) {
        const list = this.holders.list(m);
        const n = this.holders.count(m);
        for (let i = 0; i < n; i++) {
          const a = this.slots.account(list[i]!);
          if (keep(a)) candidates.push(a);
        }
      }
    } else {
      for (let a = 0; a < this.ids.length; a++) if (keep(a)) candidates.push(a);
    }
    const desc = (query.sort ?? "marginRatio:desc") === "marginRatio:desc";
    // Margin ratio descending is health (equity / MM) ascending, equity <= 0 included.
    const key = (a: number): number => {
      const o = a * A_STRIDE;
      if (this.count[a] === 0) return desc ? Infinity : -Infinity;
      // Unknown figures (a market never priced): first among the riskiest, last among the safest.
      if (this.unpriced[a]! > 0) return desc ? -Infinity : Infinity;
      const h = (acc[o + A_COLLATERAL]! + acc[o + A_UPNL]!) / acc[o + A_MM]!;
      return desc ? h : -h;
    };
    const compare = (x: number, y: number): number => {
      const d = key(x) - key(y);
      if (d !== 0 && !Number.isNaN(d)) return d;
      const ix = this.ids[x]!;
      const iy = this.ids[y]!;
      return ix < iy ? -1 : ix > iy ? 1 : 0;
    };
    const page = selectPage(candidates, compare, offset, limit);
    return { total: candidates.length, offset, limit, items: page.map((a) => this.rowOf(a)) };
  }

  /** A page of the liquidation queue in order (bankrupt, backstop, liquidatable; health ascending). */
  queuePage(now: number, offset = 0, limit = 100): Page<QueueEntry> {
    return this.queue.page(now, offset, limit);
  }

  /** The steps an executor should run now: cool-down passed, not paused; at most `limit`. */
  dueSteps(now: number, limit = Infinity): QueueEntry[] {
    return this.queue.dueSteps(now, limit);
  }

  /** Records that a step of the account executed at `now`: its cool-down starts. */
  markStepExecuted(accountId: string, now: number): void {
    const a = this.accountIndex.get(accountId);
    if (a === undefined) throw new RiskInputError([{ path: ["accountId"], message: `unknown account ${accountId}` }]);
    this.queue.markStepExecuted(a, now);
    this.changes.account(a);
  }

  /** Records that a step of the account failed to execute at `now`: it is paused with the reason, then retried. */
  markStepFailed(accountId: string, now: number, reason: string): void {
    const a = this.accountIndex.get(accountId);
    if (a === undefined) throw new RiskInputError([{ path: ["accountId"], message: `unknown account ${accountId}` }]);
    this.queue.markStepFailed(a, now, reason);
    this.changes.account(a);
  }

  /** Queue members whose plan is out of date (re-planned on the next queue read). */
  get queueDirty(): number {
    return this.queue.dirtyCount();
  }

  get queueLength(): number {
    return this.queue.length;
  }

  /** Plans computed so far. */
  get plansComputed(): number {
    return this.queue.planned;
  }

  /** Re-plans queue members whose figures changed, oldest first, at most `limit`; returns how many. */
  refreshQueue(limit = Infinity): number {
    return this.queue.refresh(limit);
  }

  /**
   * How the first `limit` rows of the queue changed since the previous call (see
   * `QueuePageChanges`); `null` when nothing in them changed. `reset`: every row, as from an empty
   * page. One consumer (the desk stream) owns this sequence of calls.
   */
  queueChanges(now: number, limit: number, reset = false): QueuePageChanges | null {
    return this.queueDiff.next(this.queue.page(now, 0, limit), reset);
  }

  /** The margin-ratio distribution of every account, from the kept sums (no resync). */
  ratioHistogram(): RatioHistogram {
    const counter = new RatioHistogramCounter();
    const acc = this.acc;
    for (let a = 0; a < this.ids.length; a++) {
      const b = a * A_STRIDE;
      if (this.unpriced[a]! > 0) {
        counter.addUnknown();
        continue;
      }
      counter.add(acc[b + A_COLLATERAL]! + acc[b + A_UPNL]!, acc[b + A_MM]!, this.count[a]! > 0);
    }
    return counter.result();
  }

  /** Accounts whose figures changed since the last `marginRows`. */
  get pendingMarginRows(): number {
    return this.changes.pendingRows();
  }

  /**
   * One margin snapshot row (figures from the kept sums) of each account whose figures changed
   * since its previous row, as columns: at most `limit`, those waiting longest first (the others
   * stay pending for the next call).
   */
  marginRows(limit = Infinity): MarginRows {
    let out: MarginRows | null = null;
    this.changes.drainSinceRows(limit, (changed) => {
      // An account of unknown figures has no row to keep (its history resumes once it is priced).
      const accounts = changed.filter((a) => this.unpriced[a] === 0);
      const n = accounts.length;
      const rows = {
        accountIds: new Array<string>(n),
        collateral: new Float64Array(n),
        equity: new Float64Array(n),
        maintenanceMargin: new Float64Array(n),
        marginRatio: new Float64Array(n),
        status: new Uint8Array(n),
      };
      const acc = this.acc;
      for (let i = 0; i < n; i++) {
        const a = accounts[i]!;
        const b = a * A_STRIDE;
        const equity = acc[b + A_COLLATERAL]! + acc[b + A_UPNL]!;
        const mm = acc[b + A_MM]!;
        rows.accountIds[i] = this.ids[a]!;
        rows.collateral[i] = acc[b + A_COLLATERAL]!;
        rows.equity[i] = equity;
        rows.maintenanceMargin[i] = mm;
        rows.marginRatio[i] = marginRatio(equity, mm, this.count[a]! > 0) ?? NaN;
        rows.status[i] = this.status[a]!;
      }
      out = rows;
    });
    return out!;
  }

  /** What changed since the last call (see `ChangeSet`). */
  drainChanges(): ChangeSet {
    return this.changes.drain(
      (a) => this.ids[a]!,
      (m) => this.compiled[m]!.id,
      (a) => this.queue.has(a),
      (a) => this.status[a]!,
    );
  }

  /** Accounts touched since the last drain. */
  get pendingChanges(): number {
    return this.changes.pendingAccounts();
  }

  /**
   * The live state as columns (for the stress model, spec §8, and for tests): every account, or
   * with `market` only the accounts holding it (with all their positions). An unknown market gives
   * no account.
   */
  snapshot(options: { market?: string | undefined } = {}): BookSnapshot {
    const sl = this.slots;
    let accounts: ArrayLike<number>;
    let rows: number;
    if (options.market === undefined) {
      accounts = { length: this.ids.length };
      rows = sl.live;
    } else {
      const m = this.marketIndex.get(options.market);
      const list = m === undefined ? new Int32Array(0) : this.holders.list(m).subarray(0, this.holders.count(m));
      // Account indices ascending: the snapshot keeps the book's account order.
      const held = Int32Array.from(list, (s) => sl.account(s)).sort();
      accounts = held;
      rows = 0;
      for (const a of held) rows += this.count[a]!;
    }
    const n = accounts.length;
    const all = options.market === undefined;
    const accountStart = new Int32Array(n + 1);
    const positionMarket = new Int32Array(rows);
    const positionQty = new Float64Array(rows);
    const positionEntryPrice = new Float64Array(rows);
    const accountIds = new Array<string>(n);
    const collateral = new Float64Array(n);
    let r = 0;
    for (let i = 0; i < n; i++) {
      const a = all ? i : accounts[i]!;
      accountIds[i] = this.ids[a]!;
      collateral[i] = this.acc[a * A_STRIDE + A_COLLATERAL]!;
      accountStart[i] = r;
      for (let s = this.head[a]!; s !== -1; s = sl.next[s]!) {
        positionMarket[r] = sl.market[s]!;
        positionQty[r] = sl.qty(s);
        positionEntryPrice[r] = sl.entryPrice(s);
        r++;
      }
    }
    accountStart[n] = r;
    return {
      params: this.params,
      markets: this.compiled.map((m) => m.params),
      marks: this.marks.slice(0, this.compiled.length),
      stale: Uint8Array.from({ length: this.compiled.length }, (_, m) => (this.isStaleIndex(m) ? 1 : 0)),
      accountIds,
      collateral,
      accountStart,
      positionMarket,
      positionQty,
      positionEntryPrice,
    };
  }

  /** Bytes held by the typed arrays of the book (capacity), for the memory report. */
  typedBytes(): number {
    return this.slots.bytes() + this.holders.bytes() + this.accountCapacity * (A_STRIDE * 8 + 1 + 2 + 1 + 4);
  }

  // ---- internals -----------------------------------------------------------------------------

  private compiledOf(id: string): CompiledMarket | undefined {
    const m = this.marketIndex.get(id);
    return m === undefined ? undefined : this.compiled[m];
  }

  private isStaleIndex(m: number): boolean {
    return this.staleFlag[m] === 1 || Number.isNaN(this.marks[m]!);
  }

  private applyMark(m: number, price: number, stale: boolean): number {
    let touched = 0;
    if (price !== this.marks[m]) {
      if (Number.isNaN(this.marks[m]!)) {
        this.staleEpoch++;
        // The market's first price: its holders' figures stop being unknown on its account.
        const list = this.holders.list(m);
        const n = this.holders.count(m);
        for (let i = 0; i < n; i++) this.unpriced[this.slots.account(list[i]!)]!--;
      }
      this.marks[m] = price;
      // Every holder is settled, so its change is recorded (the first price also ends "no price yet").
      touched = this.revalueMarket(m);
      this.changes.market(m);
    }
    this.setStaleIndex(m, stale);
    this.lastTouched = touched;
    return touched;
  }

  private setStaleIndex(m: number, stale: boolean): void {
    const flag = stale ? 1 : 0;
    if (this.staleFlag[m] === flag) return;
    this.staleFlag[m] = flag;
    this.staleEpoch++;
    this.changes.market(m);
    this.touchHolders(m);
  }

  /** Every holder's view changed (staleness), not its figures. */
  private touchHolders(m: number): void {
    const list = this.holders.list(m);
    const n = this.holders.count(m);
    for (let i = 0; i < n; i++) this.changes.account(this.slots.account(list[i]!));
  }

  /** Revalues every position in market `m` at its mark and settles each holder. */
  private revalueMarket(m: number): number {
    const market = this.compiled[m]!;
    const price = this.marks[m]!;
    const list = this.holders.list(m);
    const n = this.holders.count(m);
    for (let i = 0; i < n; i++) {
      const o = list[i]! * SLOT_STRIDE;
      const a = this.revalue(o, market, price);
      this.settle(a, true);
    }
    return n;
  }

  /** The price a slot is valued at: its market's mark (NaN before the first one: unknown). */
  private priceFor(s: number): number {
    return this.marks[this.slots.market[s]!]!;
  }

  /**
   * Figures of one position from scratch at `price` (spec §3), stored in its record at offset `o`.
   * At NaN (a market never priced) they are unknown: 0 in the record, so that they add nothing to
   * the account's sums (its `unpriced` count says they are missing).
   */
  private value(o: number, market: CompiledMarket, price: number): void {
    const rec = this.slots.rec;
    if (Number.isNaN(price)) {
      rec[o + SLOT_NOTIONAL] = 0;
      rec[o + SLOT_UPNL] = 0;
      rec[o + SLOT_MM] = 0;
      rec[o + SLOT_IM] = 0;
      rec[o + SLOT_TIER] = 0;
      return;
    }
    const q = rec[o + SLOT_QTY]!;
    const x = Math.abs(q) * price;
    rec[o + SLOT_NOTIONAL] = x;
    rec[o + SLOT_UPNL] = q * (price - rec[o + SLOT_ENTRY]!);
    rec[o + SLOT_MM] = maintenanceMargin(market, x);
    rec[o + SLOT_IM] = initialMargin(market, x);
    rec[o + SLOT_TIER] = tierIndex(market, x);
  }

  /** Values the slot record at offset `o` afresh and moves its account's sums by the difference; returns the account. */
  private revalue(o: number, market: CompiledMarket, price: number): number {
    const rec = this.slots.rec;
    const up0 = rec[o + SLOT_UPNL]!;
    const mm0 = rec[o + SLOT_MM]!;
    const im0 = rec[o + SLOT_IM]!;
    this.value(o, market, price);
    const a = rec[o + SLOT_ACCOUNT]!;
    const acc = this.acc;
    const b = a * A_STRIDE;
    acc[b + A_UPNL] = acc[b + A_UPNL]! + rec[o + SLOT_UPNL]! - up0;
    acc[b + A_MM] = acc[b + A_MM]! + rec[o + SLOT_MM]! - mm0;
    acc[b + A_IM] = acc[b + A_IM]! + rec[o + SLOT_IM]! - im0;
    return a;
  }

  /** Sums of one account recomputed from its positions at current marks (the drift guard). */
  private recompute(a: number): void {
    const sl = this.slots;
    const rec = sl.rec;
    let up = 0;
    let mmSum = 0;
    let imSum = 0;
    for (let s = this.head[a]!; s !== -1; s = sl.next[s]!) {
      const o = s * SLOT_STRIDE;
      this.value(o, this.compiled[sl.market[s]!]!, this.priceFor(s));
      up += rec[o + SLOT_UPNL]!;
      mmSum += rec[o + SLOT_MM]!;
      imSum += rec[o + SLOT_IM]!;
    }
    const b = a * A_STRIDE;
    this.acc[b + A_UPNL] = up;
    this.acc[b + A_MM] = mmSum;
    this.acc[b + A_IM] = imSum;
    this.deltaOps[a] = 0;
    this.resyncs++;
  }

  private equityOf(a: number): number {
    const b = a * A_STRIDE;
    return this.acc[b + A_COLLATERAL]! + this.acc[b + A_UPNL]!;
  }

  private statusOf(a: number): number {
    if (this.unpriced[a]! > 0) return STATUS_UNKNOWN;
    const b = a * A_STRIDE;
    const acc = this.acc;
    return accountStatusCode(
      acc[b + A_COLLATERAL]! + acc[b + A_UPNL]!,
      acc[b + A_MM]!,
      this.count[a]! > 0,
      this.params.warnRatio,
      this.params.backstopFraction,
    );
  }

  /**
   * After an account's figures changed: drift guard, status (decided on recomputed sums when it
   * would change), queue membership, change record. `deltas`: the sums moved by a delta update.
   */
  private settle(a: number, deltas: boolean): void {
    if (deltas && ++this.deltaOps[a]! >= this.resyncEvery) this.recompute(a);
    let code = this.statusOf(a);
    if (code !== this.status[a] && this.deltaOps[a] !== 0) {
      this.recompute(a);
      code = this.statusOf(a);
    }
    this.applyStatus(a, code);
    this.changes.account(a);
  }

  private applyStatus(a: number, code: number): void {
    const old = this.status[a]!;
    if (old !== code) {
      this.statusCounts[old]!--;
      this.statusCounts[code]!++;
      this.status[a] = code;
    }
    if (code >= STATUS_LIQUIDATABLE && code <= STATUS_BANKRUPT) this.queue.enter(a);
    else this.queue.leave(a);
  }

  /** From-scratch sums and the status they give (the queue calls this before planning). */
  private resync(a: number): void {
    this.recompute(a);
    const code = this.statusOf(a);
    if (code !== this.status[a]) {
      this.applyStatus(a, code);
      this.changes.account(a);
    }
  }

  /** 1-based tiers of the position a step closes part of, at the step's mark, before and after it. */
  private stepTiers(a: number, step: Close): { before: number; after: number } {
    const sl = this.slots;
    const m = this.marketIndex.get(step.marketId)!;
    let s = this.head[a]!;
    while (s !== -1 && sl.market[s] !== m) s = sl.next[s]!;
    const market = this.compiled[m]!;
    const qty = s === -1 ? 0 : Math.abs(sl.qty(s));
    const left = qtyOfLots(market, Math.max(0, lotsOfQty(market, qty) - lotsOfQty(market, step.qty)));
    return {
      before: tierIndex(market, qty * step.markPrice) + 1,
      after: tierIndex(market, left * step.markPrice) + 1,
    };
  }

  /** The stale (or never-priced) markets account `a` holds, in id order. */
  private staleMarketsHeld(a: number): string[] {
    const out: string[] = [];
    const sl = this.slots;
    for (let s = this.head[a]!; s !== -1; s = sl.next[s]!) {
      const m = sl.market[s]!;
      if (this.isStaleIndex(m)) out.push(this.compiled[m]!.id);
    }
    return out.length > 1 ? out.sort() : out;
  }

  private planPositions(a: number): PlanPosition[] {
    const out: PlanPosition[] = [];
    const sl = this.slots;
    for (let s = this.head[a]!; s !== -1; s = sl.next[s]!) {
      out.push({ market: this.compiled[sl.market[s]!]!, qty: sl.qty(s), markPrice: this.priceFor(s) });
    }
    return out;
  }

  private applyPosition(a: number, m: number, qty: number, entryPrice: number): void {
    const sl = this.slots;
    const rec = sl.rec;
    const acc = this.acc;
    const b = a * A_STRIDE;
    let prev = -1;
    let s = this.head[a]!;
    while (s !== -1 && sl.market[s] !== m) {
      prev = s;
      s = sl.next[s]!;
    }
    if (qty === 0) {
      if (s === -1) return;
      if (prev === -1) this.head[a] = sl.next[s]!;
      else sl.next[prev] = sl.next[s]!;
      const moved = this.holders.remove(m, sl.holderPos[s]!);
      if (moved >= 0) sl.holderPos[moved] = sl.holderPos[s]!;
      const o = s * SLOT_STRIDE;
      acc[b + A_UPNL] = acc[b + A_UPNL]! - rec[o + SLOT_UPNL]!;
      acc[b + A_MM] = acc[b + A_MM]! - rec[o + SLOT_MM]!;
      acc[b + A_IM] = acc[b + A_IM]! - rec[o + SLOT_IM]!;
      sl.release(s);
      if (Number.isNaN(this.marks[m]!)) this.unpriced[a]!--;
      const left = this.count[a]! - 1;
      this.count[a] = left;
      if (left === 0) {
        this.withPositions--;
        acc[b + A_UPNL] = 0;
        acc[b + A_MM] = 0;
        acc[b + A_IM] = 0;
        this.deltaOps[a] = 0;
      }
      this.changes.summary();
      this.settle(a, left > 0);
      return;
    }
    if (s === -1) {
      s = sl.alloc(a, m);
      sl.next[s] = this.head[a]!;
      this.head[a] = s;
      sl.holderPos[s] = this.holders.add(m, s);
      const held = this.count[a]! + 1;
      this.count[a] = held;
      if (Number.isNaN(this.marks[m]!)) this.unpriced[a]!++;
      if (held === 1) this.withPositions++;
      this.changes.summary();
    }
    const o = s * SLOT_STRIDE;
    sl.rec[o + SLOT_QTY] = qty;
    sl.rec[o + SLOT_ENTRY] = entryPrice;
    this.revalue(o, this.compiled[m]!, this.priceFor(s));
    this.settle(a, true);
  }

  private accountOf(id: string): number {
    let a = this.accountIndex.get(id);
    if (a !== undefined) return a;
    a = this.ids.length;
    this.ensureAccounts(a + 1);
    this.ids.push(id);
    this.accountIndex.set(id, a);
    this.head[a] = -1;
    // Stagger the periodic resync: accounts that start together would otherwise all resync on
    // the same tick of a market they share, every `resyncEvery` ticks.
    this.deltaOps[a] = (a * 97) % this.resyncEvery;
    this.statusCounts[0]!++;
    this.changes.account(a);
    this.changes.summary();
    return a;
  }

  private ensureAccounts(n: number): void {
    if (n <= this.accountCapacity) return;
    const c = nextCapacity(this.accountCapacity, n);
    this.acc = grow(this.acc, c * A_STRIDE);
    this.status = grow(this.status, c);
    this.count = grow(this.count, c);
    this.deltaOps = grow(this.deltaOps, c);
    this.head = grow(this.head, c, -1);
    this.unpriced = grow(this.unpriced, c);
    this.queue.ensureAccounts(c);
    this.changes.ensureAccounts(c);
    this.accountCapacity = c;
  }

  private rowOf(a: number): AccountRow {
    const b = a * A_STRIDE;
    const acc = this.acc;
    const collateral = acc[b + A_COLLATERAL]!;
    if (this.unpriced[a]! > 0) {
      return {
        accountId: this.ids[a]!, status: "unknown", collateral, equity: null, maintenanceMargin: null, initialMargin: null,
        marginRatio: null, health: null, notional: null, positions: this.count[a]!, unpricedMarkets: this.unpricedMarketsOf(a),
      };
    }
    const equity = collateral + acc[b + A_UPNL]!;
    const mm = acc[b + A_MM]!;
    const has = this.count[a]! > 0;
    return {
      accountId: this.ids[a]!,
      status: LIVE_STATUSES[this.status[a]!]!,
      collateral,
      equity,
      maintenanceMargin: mm,
      initialMargin: acc[b + A_IM]!,
      marginRatio: marginRatio(equity, mm, has),
      health: health(equity, mm, has),
      notional: this.notionalOf(a),
      positions: this.count[a]!,
      unpricedMarkets: [],
    };
  }

  /** The markets never priced that account `a` holds, in id order. */
  private unpricedMarketsOf(a: number): string[] {
    const out: string[] = [];
    const sl = this.slots;
    for (let s = this.head[a]!; s !== -1; s = sl.next[s]!) {
      const m = sl.market[s]!;
      if (Number.isNaN(this.marks[m]!)) out.push(this.compiled[m]!.id);
    }
    return out.sort();
  }

  /** Σ notional of an account's positions (summed from their cached figures when asked). */
  private notionalOf(a: number): number {
    const sl = this.slots;
    let sum = 0;
    for (let s = this.head[a]!; s !== -1; s = sl.next[s]!) sum += sl.rec[s * SLOT_STRIDE + SLOT_NOTIONAL]!;
    return sum;
  }
}
