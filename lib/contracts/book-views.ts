/**
 * What the live book hands out and the API and the sockets send as they are: account views and
 * rows, queue entries and their page changes, the book summary, the margin-ratio histogram, and
 * the stress and liquidation-map results of the live book. Plain JSON-able data (numbers, strings,
 * arrays), so that they cross the worker boundary by structured clone unchanged. Wire types live
 * here, in the contracts; the engine (lib/engine) imports them from here, never the other way.
 */
import type { AccountStatus, Close, LiquidationMap, LiquidationMode, LiquidationPlan, LiveStatus, StressResult } from "@/lib/risk";

/**
 * One position of an account view: spec §3 figures at the mark, tier (1-based), §4 liquidation
 * price. In a market that has never had a price the figures are `null` (unknown).
 */
export interface PositionView {
  readonly marketId: string;
  readonly qty: number;
  readonly entryPrice: number;
  /** The mark the figures use (the last one while `stale`); `null` while the market has never had one. */
  readonly markPrice: number | null;
  /** The market has no fresh price: its figures use the last mark and liquidations touching it are paused. */
  readonly stale: boolean;
  readonly notional: number | null;
  readonly unrealizedPnl: number | null;
  readonly maintenanceMargin: number | null;
  readonly initialMargin: number | null;
  readonly tier: number | null;
  /** `null` also whenever the account's equity is unknown (another leg never priced). */
  readonly liquidationPrice: number | null;
  /**
   * Spec §11: the position is isolated, margined by its own `isolatedMargin` alone (its
   * `liquidationPrice` is its own: C' = its margin, M' = 0); absent for a cross position.
   */
  readonly isolated?: IsolatedPositionView;
}

/**
 * An isolated position's own figures (spec §11): a one-position account whose collateral is its
 * `isolatedMargin`. `null` figures while its market has never had a price.
 */
export interface IsolatedPositionView {
  /** USD assigned to this position alone. */
  readonly isolatedMargin: number;
  /** `isolatedMargin + unrealizedPnl`. */
  readonly equity: number | null;
  readonly maintenanceMargin: number | null;
  readonly marginRatio: number | null;
  readonly health: number | null;
  readonly status: LiveStatus;
  /** Its own plan (spec §6 on the unit); `null` while unknown. */
  readonly liquidation: LiquidationPlan | null;
  /** Margin to add to it (not to the account) to cross its lines; `null` while unknown. */
  readonly topUp: TopUpAmounts | null;
  /** Its own entry in the liquidation queue, `null` when it is above maintenance. */
  readonly queue: QueueEntry | null;
}

/** Collateral that moves the account across a line (`topUpToSafe`: lands exactly on it, add a cent more). */
export interface TopUpAmounts {
  /** To margin ratio 100%: strictly more than this leaves the liquidation queue. */
  readonly toMaintenance: number;
  /** To `warnRatio`: strictly more than this makes the account healthy. */
  readonly toHealthy: number;
}

/**
 * One account's figures (spec §3, §4, §6). While it holds a position in a market never priced
 * (`unpricedMarkets` not empty) its status is `unknown` and every figure that depends on that leg
 * is `null`: equity, margins, ratio, health, notional.
 */
export interface AccountFiguresView {
  readonly accountId: string;
  readonly status: LiveStatus;
  readonly collateral: number;
  readonly equity: number | null;
  readonly maintenanceMargin: number | null;
  readonly initialMargin: number | null;
  /** `MM / equity`; 1 (100%) is the liquidation line; `null` when equity <= 0 or unknown. */
  readonly marginRatio: number | null;
  readonly health: number | null;
  readonly notional: number | null;
  /** Markets the account holds a position in that have never had a price, in id order. */
  readonly unpricedMarkets: string[];
}

/** Everything about one account plus its place in the queue (the plan and top-ups `null` while `unknown`). */
export interface AccountView extends AccountFiguresView {
  /** Positions ordered by market id. */
  readonly positions: PositionView[];
  readonly liquidation: LiquidationPlan | null;
  readonly topUp: TopUpAmounts | null;
  /** The account's entry in the liquidation queue, `null` when it is above maintenance. */
  readonly queue: QueueEntry | null;
}

/** One account as a row of a list (figures only, no positions or plan). */
export interface AccountRow extends AccountFiguresView {
  /** How many positions it holds. */
  readonly positions: number;
}

/** The account list's numeric columns, each sortable either way over the whole book. */
export const AT_RISK_SORT_COLUMNS = ["marginRatio", "equity", "maintenanceMargin", "notional", "positions"] as const;
export type AtRiskSortColumn = (typeof AT_RISK_SORT_COLUMNS)[number];

/**
 * Orders of the account list (`GET /api/v1/accounts` `sort`, the engine's `atRisk`): `<column>:<asc|desc>`.
 * `marginRatio:desc` is riskiest first (equity <= 0 above every ratio, unknown figures first, flat
 * accounts last); the other columns put unknown figures last either way. Ties by account id.
 */
export const AT_RISK_SORTS = [
  "marginRatio:desc", "marginRatio:asc", "equity:desc", "equity:asc", "maintenanceMargin:desc", "maintenanceMargin:asc",
  "notional:desc", "notional:asc", "positions:desc", "positions:asc",
] as const satisfies readonly `${AtRiskSortColumn}:${"asc" | "desc"}`[];
export type AtRiskSort = (typeof AT_RISK_SORTS)[number];

export interface Page<T> {
  /** Matches before paging. */
  readonly total: number;
  readonly offset: number;
  readonly limit: number;
  readonly items: T[];
}

/** A pending liquidation (spec §6, §7): the account, its plan, what runs next and what holds it back. */
export interface QueueEntry {
  readonly accountId: string;
  /**
   * Spec §11: the entry is the account's isolated position in this market, a unit liquidated
   * alone (its own margin, plan and cool-down); absent for the account's cross part.
   */
  readonly isolatedMarketId?: string;
  /** 0-based place in queue order. */
  readonly rank: number;
  readonly status: AccountStatus;
  readonly equity: number;
  readonly maintenanceMargin: number;
  readonly marginRatio: number | null;
  readonly health: number | null;
  /** `max(0, MM − equity)`. */
  readonly shortfall: number;
  readonly mode: LiquidationMode;
  readonly plan: LiquidationPlan;
  readonly nextStep: Close | null;
  /** Epoch ms of the last executed step, `null` if none was recorded. */
  readonly lastStepAt: number | null;
  /** Time left before the next step may run (0 when it may run now; always 0 in mode `full`, which does not wait, spec §6.5). */
  readonly cooldownRemainingMs: number;
  readonly paused: boolean;
  /** `"stale price: ETH-PERP"` (every stale or never-priced market the account holds: any pauses the whole account, spec §7), `null` when not paused. */
  readonly pausedReason: string | null;
  /** 1-based margin tier of the next step's position before the step, `null` without a next step. */
  readonly tierBefore: number | null;
  /** 1-based margin tier of what the next step leaves of that position (a step that closes it all leaves notional 0: tier 1); `null` without a next step. */
  readonly tierAfter: number | null;
}

/**
 * The key of a queue entry, unique in the queue (an account may have one entry for its cross part
 * and one per isolated position): the account id for the cross part, the account id, a NUL and the
 * market id for an isolated position (no account id holds a NUL). What the engine's
 * `markStepExecuted` / `markStepFailed` take.
 */
export function queueEntryKey(e: Pick<QueueEntry, "accountId" | "isolatedMarketId">): string {
  return e.isolatedMarketId === undefined ? e.accountId : `${e.accountId}\u0000${e.isolatedMarketId}`;
}

/** Accounts by live status. */
export type LiveStatusCounts = Record<LiveStatus, number>;

/** Book-wide figures for the desk. */
export interface BookSummary {
  readonly markets: number;
  /** Markets without a fresh price (including those that never had one). */
  readonly staleMarkets: string[];
  readonly accounts: number;
  readonly accountsWithPositions: number;
  readonly positions: number;
  readonly byStatus: LiveStatusCounts;
  /** `Σ max(0, MM − equity)` over every account. */
  readonly mmShortfall: number;
  /** Σ notional of every planned close in the queue (what the planner intends to close now), over each member's latest plan. */
  readonly pendingNotional: number;
  /** Σ `plan.deficit` over the queue (latest plans): what the insurance fund would pay at current marks. */
  readonly expectedDeficit: number;
  /**
   * `plansPending`: members whose figures moved since their plan was computed (the engine re-plans
   * them in the background, oldest first; until then their previous plan counts in the totals).
   * `byMode`: members by their latest plan's mode.
   */
  readonly queue: { readonly size: number; readonly paused: number; readonly byMode: Readonly<Record<LiquidationMode, number>>; readonly plansPending: number };
  /**
   * Accounts carrying debt: collateral below 0 (spec §3: a funding payment beyond the balance, a
   * deficit the fund did not cover; spec §7 bad debt). `total` is `Σ −collateral` over them;
   * `largest` the 50 largest debts, largest first (ties by account id), whatever their status.
   */
  readonly debt: { readonly accounts: number; readonly total: number; readonly largest: readonly AccountRow[] };
}

/** Margin-ratio distribution: `counts[i]` accounts with ratio in [edges[i], edges[i+1]); the last bucket is open. */
export interface RatioHistogram {
  /** Lower edges, as margin ratios (1 = 100% = liquidation). */
  readonly edges: number[];
  readonly counts: number[];
  /** Accounts with equity <= 0 (no ratio). */
  readonly bankrupt: number;
  /** Accounts with no position (ratio 0), not in `counts`. */
  readonly flat: number;
  /** Accounts whose ratio is unknown (a position in a market never priced), not in `counts`. */
  readonly unknown: number;
}

/**
 * How the first rows of the queue changed since the previous `queueChanges` (or all of them, from
 * nothing, after a reset): entries new or changed by key (`queueEntryKey`: the account id, or the
 * account and market of an isolated position), keys gone from those rows,
 * and the rows' keys in queue order whenever the membership or the order changed. An entry
 * whose place alone changed is not resent (its `rank` is its index in `order`); cool-downs counting
 * down are not changes (`cooldownRemainingMs` is measured at `now`).
 */
export interface QueuePageChanges {
  /** Accounts in the whole queue. */
  readonly total: number;
  /** Present when the rows' membership or order changed. */
  readonly order?: string[] | undefined;
  readonly upserts: QueueEntry[];
  readonly removed: string[];
}

/**
 * Accounts a book-wide figure leaves out because they hold a position in a market never priced
 * (spec §7 revision 2: their figures are unknown, never valued at entry price): how many, and the
 * never-priced markets they hold, in id order. `{ count: 0, markets: [] }` when none is.
 */
export interface UnknownAccounts {
  readonly count: number;
  readonly markets: string[];
}

/** Spec §8 over the live book: the accounts of unknown figures are left out and counted. */
export interface BookStressResult extends StressResult {
  readonly unknownAccounts: UnknownAccounts;
}

/**
 * Spec §9 for one market of the live book: the map at its mark, leaving out (and counting) the
 * holders whose figures are unknown; or, while the market has never had a price, no map.
 */
export type BookLiquidationMap =
  | (LiquidationMap & { readonly unknownAccounts: UnknownAccounts })
  | { readonly marketId: string; readonly markPrice: null; readonly reason: "no price yet" };
