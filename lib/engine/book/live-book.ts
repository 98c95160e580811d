import { compileMarket, RiskInputError, validateMarket, type CompiledMarket, type MarketParams } from "@/lib/risk";
import type { ChangeSet, CollateralDelta, CollateralUpdate, PositionUpdate, PriceUpdate } from "../engine-types";
import { A_COLLATERAL, A_IM, A_MM, A_STRIDE, A_UPNL } from "./account-record";
import { BookState } from "./book-state";
import { grow, nextCapacity } from "./grow";
import { SLOT_ACCOUNT, SLOT_ENTRY, SLOT_IM, SLOT_MM, SLOT_QTY, SLOT_STRIDE, SLOT_UPNL } from "./position-slots";
import { throwIfAny, validateCollateral, validateDeltas, validatePositions, validatePrices } from "./validate-updates";

/**
 * The engine's live book (DESIGN "Engine"): the state of `BookState` and how it changes — markets,
 * marks and stale flags, positions and collateral, each batch checked whole before any of it is
 * applied — valued incrementally. Pure and synchronous: no I/O, no clock (callers pass `now`), no
 * globals. What the desk reads of it are the read models in lib/engine/views.
 *
 * - `setMark(m, p)` revalues only the slots in `m`'s holder list: each position's figures are
 *   recomputed from scratch at the new mark (lib/risk `tierIndex`, `maintenanceMargin`,
 *   `initialMargin`) and its account's sums move by (new − old). Each account holds at most one
 *   position per market, so a tick touches each holder account once.
 * - Drift guard: the sums are recomputed from the positions (a) every `resyncEvery` delta updates
 *   of the account (counters start staggered so holders of a market do not all resync on one
 *   tick), (b) whenever a delta update would change its status, so a status line is never
 *   crossed on accumulated rounding, (c) whenever the account is planned or viewed, (d) whenever
 *   one of its positions opens, changes or closes (subtracting a large old term would leave its
 *   rounding behind, relative to a term that is gone), and they are reset to exactly 0 when its
 *   last position closes.
 * - The liquidation queue follows each status change at once (`settle`).
 *
 * It extends `BookState` rather than holding one so that the tick's loop (`revalueMarket` →
 * `revalue` → `settle`) reads the typed arrays as fields of one object: no indirection per
 * position.
 */
export class LiveBook extends BookState {
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

  /**
   * Adds or replaces several markets as one change: every one is validated before any is applied
   * (a bad one throws `RiskInputError` naming it, and the book keeps every market as it was).
   */
  upsertMarkets(markets: readonly MarketParams[]): void {
    throwIfAny(markets.flatMap((m, i) => validateMarket(m, ["markets", i])));
    for (const m of markets) this.upsertMarket(m);
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
    return touched;
  }

  /** Checks a batch of marks as `applyPrices` would, without applying it (throws `RiskInputError`). */
  checkPrices(updates: readonly PriceUpdate[]): void {
    throwIfAny(validatePrices(updates, (id) => this.compiledOf(id)));
  }

  // ---- positions and collateral --------------------------------------------------------------

  /** Sets the full state of one position (`qty` 0 removes it); an unknown account is created. */
  setPosition(accountId: string, marketId: string, qty: number, entryPrice: number): void {
    this.applyPositions([{ accountId, marketId, qty, entryPrice }]);
  }

  /**
   * Applies a batch of position states, checked whole first. An isolated one (`isolatedMargin` set,
   * spec §11) lives in its unit, whose collateral is that margin; a position that changes mode
   * leaves the other side (the venue states the full state of each position).
   */
  applyPositions(updates: readonly PositionUpdate[]): void {
    throwIfAny(validatePositions(updates, (id) => this.compiledOf(id)));
    for (const u of updates) {
      const a = this.accountOf(u.accountId);
      const m = this.marketIndex.get(u.marketId)!;
      const margin = u.isolatedMargin ?? null;
      const existing = this.units.find(a, m);
      if (margin === null) {
        if (existing !== -1) this.applyPosition(existing, m, 0, 0);
        this.applyPosition(a, m, u.qty, u.entryPrice);
      } else {
        this.applyPosition(a, m, 0, 0);
        const unit = u.qty === 0 && existing === -1 ? -1 : this.unitOf(a, m);
        if (unit === -1) continue;
        this.acc[unit * A_STRIDE + A_COLLATERAL] = margin;
        this.applyPosition(unit, m, u.qty, u.entryPrice);
        if (u.qty === 0) this.settle(unit, false);
      }
    }
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
      this.noteDebt(a, this.acc[a * A_STRIDE + A_COLLATERAL]!, u.amount);
      this.acc[a * A_STRIDE + A_COLLATERAL] = u.amount;
      this.settle(a, false);
    }
  }

  applyCollateralDeltas(deltas: readonly CollateralDelta[]): void {
    throwIfAny(validateDeltas(deltas));
    for (const u of deltas) {
      const a = this.accountOf(u.accountId);
      const before = this.acc[a * A_STRIDE + A_COLLATERAL]!;
      this.noteDebt(a, before, before + u.delta);
      this.acc[a * A_STRIDE + A_COLLATERAL] = before + u.delta;
      this.settle(a, false);
    }
  }

  /** The summary's debt list changes when a collateral below 0 changes or crosses 0; the listener hears of a crossing. */
  private noteDebt(a: number, before: number, after: number): void {
    if ((before < 0 || after < 0) && before !== after) {
      this.debtEpoch++;
      this.changes.summary();
    }
    if (before < 0 !== after < 0) this.listener?.accountChanged(a);
  }

  /**
   * Records that a step of the account (or of one of its isolated positions: the queue entry's key,
   * `queueEntryKey`) executed at `now`: that unit's cool-down starts (spec §11: per unit).
   */
  markStepExecuted(accountId: string, now: number): void {
    const a = this.accountIndex.get(accountId);
    if (a === undefined) throw new RiskInputError([{ path: ["accountId"], message: `unknown account ${accountId}` }]);
    this.queue.steps.executed(a, now);
    this.changes.account(this.units.accountOf(a));
  }

  /** Records that a step of the account (or unit, as above) failed to execute at `now`: it is paused with the reason, then retried. */
  markStepFailed(accountId: string, now: number, reason: string): void {
    const a = this.accountIndex.get(accountId);
    if (a === undefined) throw new RiskInputError([{ path: ["accountId"], message: `unknown account ${accountId}` }]);
    this.queue.steps.failed(a, now, reason);
    this.changes.account(this.units.accountOf(a));
  }

  /** What changed since the last call (see `ChangeSet`). */
  drainChanges(): ChangeSet {
    return this.changes.drain(
      (a) => this.ids[a]!,
      (m) => this.compiled[m]!.id,
      (a) => this.inQueue(a),
      (a) => this.status[a]!,
    );
  }

  // ---- internals -----------------------------------------------------------------------------

  /** Whether account `a` holds any position: cross, or isolated in one of its units. */
  private holdsAny(a: number): boolean {
    if (this.count[a]! > 0) return true;
    for (let u = this.units.first[a]!; u !== -1; u = this.units.next[u]!) if (this.count[u]! > 0) return true;
    return false;
  }

  /** Whether account `a` has an entry in the queue: its cross part or any isolated position. */
  private inQueue(a: number): boolean {
    if (this.queue.has(a)) return true;
    for (let u = this.units.first[a]!; u !== -1; u = this.units.next[u]!) if (this.queue.has(u)) return true;
    return false;
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
    for (let i = 0; i < n; i++) this.changes.holder(this.units.accountOf(this.slots.account(list[i]!)));
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
      this.settle(a, true, true);
    }
    return n;
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

  /**
   * After an account's figures changed: drift guard, status (decided on recomputed sums when it
   * would change), queue membership, change record. `deltas`: the sums moved by a delta update;
   * `asHolder`: by a revaluation of a market the change set lists.
   */
  private settle(a: number, deltas: boolean, asHolder = false): void {
    if (deltas && ++this.deltaOps[a]! >= this.resyncEvery) this.recompute(a);
    let code = this.statusOf(a);
    if (code !== this.ownStatus[a] && this.deltaOps[a] !== 0) {
      this.recompute(a);
      code = this.statusOf(a);
    }
    // The change, the listener and the status counts are the account's (a unit's owner's).
    const account = this.units.owner[a]! >= 0 ? this.units.owner[a]! : a;
    const before = this.status[account]!;
    this.applyStatus(a, code);
    // As a holder of the market being revalued (the change set lists the market), or on its own.
    if (asHolder) this.changes.holder(account);
    else this.changes.account(account);
    const after = this.status[account]!;
    if (this.listener !== null && (after !== before || this.listenAlways[after] === 1)) this.listener.accountSettled(account, before);
  }

  private applyPosition(a: number, m: number, qty: number, entryPrice: number): void {
    const sl = this.slots;
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
      sl.release(s);
      if (Number.isNaN(this.marks[m]!)) this.unpriced[a]!--;
      const left = this.count[a]! - 1;
      this.count[a] = left;
      if (left === 0 && !this.holdsAny(this.units.accountOf(a))) this.withPositions--;
      this.changes.summary();
      this.listener?.accountChanged(this.units.accountOf(a));
      // From scratch, not by delta: subtracting a large term leaves its rounding in the sum (and
      // with no position left the sums are exactly 0).
      this.recompute(a);
      this.settle(a, false);
      return;
    }
    if (s === -1) {
      s = sl.alloc(a, m);
      sl.next[s] = this.head[a]!;
      this.head[a] = s;
      sl.holderPos[s] = this.holders.add(m, s);
      const account = this.units.accountOf(a);
      const had = this.holdsAny(account);
      this.count[a] = this.count[a]! + 1;
      if (Number.isNaN(this.marks[m]!)) this.unpriced[a]!++;
      if (!had) this.withPositions++;
      this.changes.summary();
      this.listener?.accountChanged(account);
    }
    const o = s * SLOT_STRIDE;
    sl.rec[o + SLOT_QTY] = qty;
    sl.rec[o + SLOT_ENTRY] = entryPrice;
    // The sums from scratch (values this slot too): a replaced position's old term may dwarf the rest.
    this.recompute(a);
    this.settle(a, false);
  }
}
