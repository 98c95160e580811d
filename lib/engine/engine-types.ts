/**
 * Shapes the live engine uses on the server side: change sets, margin rows, book snapshots, the
 * updates it is given, its account-list query. Plain JSON-able data or typed arrays, so that they
 * cross the worker boundary by structured clone (typed arrays transferred). What it hands out to
 * the API and the browser are wire types, defined in the contracts (lib/contracts/book-views.ts)
 * (the engine imports them from there).
 */
import type { LiveStatus, MarketParams, RiskParams } from "../risk";
import type { AtRiskSort, UnknownAccounts } from "../contracts/book-views";


/** Filters and page of `atRisk`. `minRatio` keeps margin ratios `>= minRatio` (a `null` ratio is above any). */
export interface AtRiskQuery {
  readonly status?: LiveStatus | readonly LiveStatus[] | undefined;
  readonly market?: string | undefined;
  readonly minRatio?: number | undefined;
  /** Default `marginRatio:desc` (riskiest first; equity <= 0 counts as the highest ratio). */
  readonly sort?: AtRiskSort | undefined;
  readonly offset?: number | undefined;
  readonly limit?: number | undefined;
  /** Only accounts whose id starts with this. */
  readonly idPrefix?: string | undefined;
}

/**
 * What changed since the last `drainChanges`, for the socket hub and the desk feed to turn into
 * deltas: counts and flags, and the ids behind the counts only for a small change set (at most
 * `CHANGE_SET_MAX_IDS` accounts, e.g. an ingest batch or a top-up), never for a tick that moves a
 * market's every holder. An account that entered and left the queue in between is counted in
 * neither `queueAdded` nor `queueRemoved`.
 */
export interface ChangeSet {
  /** Increases by one per non-empty drain. */
  readonly seq: number;
  /** Accounts whose figures, positions, collateral or market staleness changed. */
  readonly accounts: number;
  /** Accounts whose status changed (a subset of `accounts`). */
  readonly statusChanged: number;
  readonly queueAdded: number;
  readonly queueRemoved: number;
  /** Accounts in the queue before and after whose entry may have changed (figures, plan, pause, cool-down). */
  readonly queueChanged: number;
  /** Markets whose mark, staleness or parameters changed. */
  readonly markets: string[];
  readonly summaryChanged: boolean;
  /** The ids behind the counts, in the order touched; `null` when more than `CHANGE_SET_MAX_IDS` accounts changed. */
  readonly ids: ChangeSetIds | null;
  /**
   * When `ids` is null, which accounts can have changed, for a consumer that watches a few (the
   * account rooms): every account touched holds a position in one of `markets` (their marks or
   * staleness moved: a market's holders are not named) or is one of these, touched otherwise (at
   * most `CHANGE_SET_MAX_IDS`). `null` when `ids` names them all, or when even these are too many.
   */
  readonly otherAccounts: string[] | null;
}

export interface ChangeSetIds {
  readonly accounts: string[];
  readonly statusChanged: string[];
  readonly queueAdded: string[];
  readonly queueRemoved: string[];
  readonly queueChanged: string[];
}

/**
 * The figures of the accounts that changed since the previous `marginRows`, as columns (typed
 * arrays, transferred): one margin snapshot row each (spec §3 figures from the kept sums).
 */
export interface MarginRows {
  readonly accountIds: string[];
  readonly collateral: Float64Array;
  readonly equity: Float64Array;
  readonly maintenanceMargin: Float64Array;
  /** NaN where the margin ratio is `null` (equity <= 0). */
  readonly marginRatio: Float64Array;
  /** Index into `LIVE_STATUSES` (accounts of unknown status have no row). */
  readonly status: Uint8Array;
}

/**
 * Live state as columns, for the stress model (spec §8) and for snapshots. Positions of account `a`
 * are rows `accountStart[a] .. accountStart[a + 1] - 1`; `positionMarket` indexes `markets`.
 */
export interface BookSnapshot {
  readonly params: RiskParams;
  readonly markets: MarketParams[];
  /** Mark by market index (NaN: never priced). */
  readonly marks: Float64Array;
  readonly stale: Uint8Array;
  readonly accountIds: string[];
  readonly collateral: Float64Array;
  readonly accountStart: Int32Array;
  readonly positionMarket: Int32Array;
  readonly positionQty: Float64Array;
  readonly positionEntryPrice: Float64Array;
  /** Spec §11: an isolated position's margin; NaN for a cross one (absent: every position cross). */
  readonly positionIsolatedMargin?: Float64Array;
}

/** The insurance fund's runway over the live book (see `fundRunway`), and the accounts it leaves out. */
export interface FundRunway {
  /** The largest uniform move of every market the fund covers, as a fraction (to 0.1%, up to 0.5). */
  readonly coversMove: number;
  /** The largest covered move each way, in steps of 0.1%: where the next computation looks first. */
  readonly steps: RunwaySteps;
  readonly unknownAccounts: UnknownAccounts;
}

/** A fund runway's largest covered move down and up, in steps of 0.1% (0 to 500). */
export interface RunwaySteps {
  readonly down: number;
  readonly up: number;
}

/** A mark for a market (from `MarketMarks.refresh`): the price and whether it is stale. */
export interface PriceUpdate {
  readonly marketId: string;
  readonly price: number;
  /** The market has no fresh source: `price` is the last mark (spec §7). Default false. */
  readonly stale?: boolean | undefined;
}

/** The full state of one position; `qty: 0` closes it (DESIGN, ingest positions). */
export interface PositionUpdate {
  readonly accountId: string;
  readonly marketId: string;
  readonly qty: number;
  readonly entryPrice: number;
  /**
   * Spec §11: the position's own margin (USD) when it is isolated; absent or null when it is
   * cross (margined by the account's collateral).
   */
  readonly isolatedMargin?: number | null | undefined;
}

/** An account's collateral balance (as float64 for monitoring; the ledger is exact in Postgres). */
export interface CollateralUpdate {
  readonly accountId: string;
  readonly amount: number;
}

/** A change of an account's collateral: a top-up, a funding payment, a fee, a realized PnL. */
export interface CollateralDelta {
  readonly accountId: string;
  readonly delta: number;
}

/**
 * An alert the store holds unresolved (`alerts`, state open or acknowledged) for an engine-kind
 * rule: given with the rules (`setAlertRules`) so that the engine knows what is raised after a
 * start or a failover, and clears what no longer holds.
 */
export interface OpenAlertRef {
  readonly ruleId: string;
  /** "account:<id>" or "queue". */
  readonly subject: string;
}
