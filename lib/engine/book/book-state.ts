import {
  accountStatusCode, initialMargin, lotsOfQty, maintenanceMargin, qtyOfLots, resolveRiskParams, STATUS_BANKRUPT, STATUS_LIQUIDATABLE,
  tierIndex, validateRiskParams, type Close, type CompiledMarket, type PlanPosition, type RiskParams,
} from "@/lib/risk";
import { LIVE_STATUSES, STATUS_UNKNOWN } from "@/lib/risk";
import { A_COLLATERAL, A_IM, A_MM, A_STRIDE, A_UPNL } from "./account-record";
import type { BookListener } from "./book-listener";
import { ChangeTracker } from "./change-tracker";
import { grow, nextCapacity } from "./grow";
import { IsolatedUnits, unitKey } from "./isolated-units";
import { LiquidationQueue } from "./liquidation-queue";
import { MarketHolders } from "./market-holders";
import {
  PositionSlots, SLOT_ENTRY, SLOT_IM, SLOT_MM, SLOT_NOTIONAL, SLOT_QTY, SLOT_STRIDE, SLOT_TIER, SLOT_UPNL,
} from "./position-slots";
import { throwIfAny } from "./validate-updates";

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

/**
 * The live book's state (DESIGN "Engine"; docs/ARCHITECTURE.md "State layout"): markets, marks,
 * accounts and positions keyed by small integers in typed arrays, how the tables grow, and the
 * figures computed from scratch (a position at its mark, an account's sums, its status). Pure and
 * synchronous: no I/O, no clock, no globals. `LiveBook` (the only kind of book) adds how the book
 * changes: marks, positions and collateral, valued by deltas.
 *
 * - Markets: compiled (`compileMarket`), index by id; a mark (NaN until the first price) and a
 *   stale flag each. A market without a mark is stale and its positions' figures are unknown (spec
 *   §7: never valued at the entry price): they add nothing to their account's sums, the account
 *   counts them (`unpriced`) and its status is `unknown` — not queued, not liquidated, its figures
 *   `null` in rows and views — until the market's first price.
 * - Accounts: id ↔ index; a hot record of 4 float64 per account (`acc`, fields in
 *   `account-record.ts`: collateral and the sums `Σ upnl`, `Σ MM`, `Σ IM`, 8 MB for 250,000
 *   accounts); status code, position count and delta updates since the last resync in small
 *   arrays; the head of its position list.
 * - Positions: `PositionSlots` (one 64-byte record per position with its cached figures, allocated
 *   in per-market blocks, plus structural Int32Arrays: ~76 bytes each); `MarketHolders` lists the
 *   slots of each market. A tick walks its market's records nearly in memory order and touches one
 *   32-byte account record per holder.
 * - The liquidation queue (`queue`) follows each status change at once; plans are recomputed
 *   lazily for the members whose figures changed (see `LiquidationQueue`).
 *
 * The state is public for the read models over it (lib/engine/views: rows, views, summary,
 * snapshot, …), which take it as `Readonly<BookState>`: they read it and cannot assign it; only
 * the book's own methods write it.
 */
export abstract class BookState {
  readonly params: RiskParams;
  protected readonly resyncEvery: number;

  readonly compiled: CompiledMarket[] = [];
  readonly marketIndex = new Map<string, number>();
  marks = new Float64Array(0);
  staleFlag = new Uint8Array(0);
  readonly holders = new MarketHolders();
  /** Goes up whenever a market turns stale or fresh (queue pauses depend on it). */
  staleEpoch = 0;

  readonly ids: string[] = [];
  readonly accountIndex = new Map<string, number>();
  private accountCapacity = 0;
  acc = new Float64Array(0);
  /** An account's status as rows and views show it: the worst of its units (spec §11); a unit's own. */
  status = new Uint8Array(0);
  /** The status of each unit alone (an account's: of its cross part): what the queue follows. */
  ownStatus = new Uint8Array(0);
  /** Spec §11: isolated positions, each in a unit of its own (see `IsolatedUnits`). */
  readonly units = new IsolatedUnits();
  count = new Uint16Array(0);
  /** Delta updates since the account's sums were last recomputed from scratch. */
  protected deltaOps = new Uint8Array(0);
  head = new Int32Array(0);
  /** Positions of the account in markets never priced (its figures are unknown while > 0). */
  unpriced = new Uint16Array(0);
  readonly slots: PositionSlots;
  readonly statusCounts = LIVE_STATUSES.map(() => 0);
  withPositions = 0;

  readonly queue: LiquidationQueue;
  readonly changes = new ChangeTracker();
  /** Told of status changes, positions opened or closed, collateral crossing 0 (the alert evaluator); `null`: nobody. */
  listener: BookListener | null = null;
  /** Statuses (by code) for which the listener hears of every settle, not only of a change of status. */
  listenAlways: Uint8Array = new Uint8Array(STATUS_UNKNOWN + 1);
  /** From-scratch recomputations of account sums so far (drift guard), for tests and metrics. */
  resyncs = 0;
  debtEpoch = 0; // goes up whenever a collateral below 0 changes or crosses 0 (the summary's debt list is rebuilt then only)

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
        owner: (a) => (this.units.isUnit(a)
          ? { accountId: this.ids[this.units.owner[a]!]!, isolatedMarketId: this.compiled[this.units.market[a]!]!.id } : { accountId: this.ids[a]! }),
        statusCode: (a) => this.ownStatus[a]!,
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

  // ---- lookups by id -------------------------------------------------------------------------

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

  hasAccount(accountId: string): boolean {
    const a = this.accountIndex.get(accountId);
    return a !== undefined && !this.units.isUnit(a);
  }

  /** Account indices in use (units of isolated positions included: see `units`); `accounts` counts the accounts. */
  get accountCount(): number {
    return this.ids.length;
  }

  /** Accounts (units of isolated positions are not accounts). */
  get accounts(): number {
    return this.ids.length - this.units.count;
  }

  /** The index of an account (never of a unit), `undefined` when unknown. */
  accountIndexOf(accountId: string): number | undefined {
    const a = this.accountIndex.get(accountId);
    return a === undefined || this.units.isUnit(a) ? undefined : a;
  }

  get positionCount(): number {
    return this.slots.live;
  }

  /** Bytes held by the typed arrays of the book (capacity), for the memory report. */
  typedBytes(): number {
    return this.slots.bytes() + this.holders.bytes() + this.accountCapacity * (A_STRIDE * 8 + 1 + 2 + 1 + 4);
  }

  // ---- reads by index ------------------------------------------------------------------------

  protected compiledOf(id: string): CompiledMarket | undefined {
    const m = this.marketIndex.get(id);
    return m === undefined ? undefined : this.compiled[m];
  }

  /** Whether market index `m` has no fresh price (stale, or never priced). */
  isStaleIndex(m: number): boolean {
    return this.staleFlag[m] === 1 || Number.isNaN(this.marks[m]!);
  }

  /** The price a slot is valued at: its market's mark (NaN before the first one: unknown). */
  priceFor(s: number): number {
    return this.marks[this.slots.market[s]!]!;
  }

  equityOf(a: number): number {
    const b = a * A_STRIDE;
    return this.acc[b + A_COLLATERAL]! + this.acc[b + A_UPNL]!;
  }

  // ---- figures from scratch, status ----------------------------------------------------------

  /**
   * Figures of one position from scratch at `price` (spec §3), stored in its record at offset `o`.
   * At NaN (a market never priced) they are unknown: 0 in the record, so that they add nothing to
   * the account's sums (its `unpriced` count says they are missing).
   */
  protected value(o: number, market: CompiledMarket, price: number): void {
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

  /** Sums of one account recomputed from its positions at current marks (the drift guard). */
  protected recompute(a: number): void {
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

  protected statusOf(a: number): number {
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

  /** Sets the own status of `a` (its queue membership follows) and its account's. */
  protected applyStatus(a: number, code: number): void {
    this.ownStatus[a] = code;
    if (code >= STATUS_LIQUIDATABLE && code <= STATUS_BANKRUPT) this.queue.enter(a);
    else this.queue.leave(a);
    const units = this.units;
    const owner = units.owner[a]!;
    if (owner >= 0) {
      this.status[a] = code;
      this.setAccountStatus(owner, this.worstUnitStatus(owner));
    } else {
      this.setAccountStatus(a, units.first[a] === -1 ? code : this.worstUnitStatus(a));
    }
  }

  /** Spec §11: an account's status is the worst of its cross part's and its isolated positions' (the codes are in that order, unknown last). */
  private worstUnitStatus(a: number): number {
    let worst = this.ownStatus[a]!;
    for (let u = this.units.first[a]!; u !== -1; u = this.units.next[u]!) worst = Math.max(worst, this.ownStatus[u]!);
    return worst;
  }

  private setAccountStatus(a: number, code: number): void {
    const old = this.status[a]!;
    if (old === code) return;
    this.statusCounts[old]!--;
    this.statusCounts[code]!++;
    this.status[a] = code;
  }

  /** From-scratch sums and the status they give (the queue calls this before planning, `accountView` before it reads). */
  resync(a: number): void {
    this.recompute(a);
    const code = this.statusOf(a);
    if (code !== this.ownStatus[a]) {
      const account = this.units.accountOf(a);
      const before = this.status[account]!;
      this.applyStatus(a, code);
      this.changes.account(account);
      if (this.status[account] !== before) this.listener?.accountSettled(account, before);
    }
  }

  // ---- what the queue reads of an account ----------------------------------------------------

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

  // ---- growth ------------------------------------------------------------------------------

  /** Owner `a`'s unit for its isolated position in market `m`, created (empty, healthy) if it has none. */
  protected unitOf(a: number, m: number): number {
    const found = this.units.find(a, m);
    if (found !== -1) return found;
    const u = this.ids.length;
    this.ensureAccounts(u + 1);
    const id = unitKey(this.ids[a]!, this.compiled[m]!.id);
    this.ids.push(id);
    this.accountIndex.set(id, u);
    this.head[u] = -1;
    this.deltaOps[u] = (u * 97) % this.resyncEvery;
    this.units.link(u, a, m);
    return u;
  }

  /** The index of an account, created (empty, healthy) if unknown. */
  protected accountOf(id: string): number {
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
    this.ownStatus = grow(this.ownStatus, c);
    this.units.ensureAccounts(c);
    this.count = grow(this.count, c);
    this.deltaOps = grow(this.deltaOps, c);
    this.head = grow(this.head, c, -1);
    this.unpriced = grow(this.unpriced, c);
    this.queue.ensureAccounts(c);
    this.changes.ensureAccounts(c);
    this.accountCapacity = c;
  }
}
