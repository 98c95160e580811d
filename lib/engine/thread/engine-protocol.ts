/**
 * Messages between the server and the engine worker (`engine-worker.ts`, `EngineClient`).
 *
 * - Requests: `{ id, type, payload }`, one per command of `EngineCommands`; the worker answers each
 *   with `{ kind: "response", id, ok, result | error }` (matched by id), in order, except the
 *   analytics commands (`ANALYTICS`: stress, fund runway, liquidation map), which take a snapshot
 *   of the book when they arrive and are answered when the analytics thread has run them, while
 *   the worker goes on with everything else. Mutations take effect in
 *   the order sent; a query sees every mutation answered before it was sent (marks still pending
 *   may be applied just after it: await an `applyPrices` to read its effect). Mutations are batches, each checked
 *   whole before any of it is applied (a bad batch is rejected with `RiskInputError` issues and
 *   changes nothing).
 * - Events the worker posts unasked: `ready` once the book is built, then `changes` (a `ChangeSet`)
 *   after mutations, coalesced to at most one per `changeIntervalMs`; a change that touched few
 *   accounts (one account's tick, a position, a top-up) goes out at once (engine-worker.ts).
 * - Prices are coalesced in the worker: pending marks are kept one per market (the latest) and
 *   applied one market per event-loop turn, queries being served in between; an `applyPrices` is
 *   answered once the markets pending at its arrival are applied, with the accounts touched
 *   meanwhile. Any other mutation applies every pending mark first.
 * - Typed arrays in results (`snapshot`, `marginRows`) are transferred, not copied.
 */
import type { MarketParams, RiskIssue } from "@/lib/risk";
import type { LiveBookOptions } from "../book/book-state";
import type { IdSearchResult } from "../views/account-search";
import type { AtRiskQuery, BookSnapshot, ChangeSet, CollateralDelta, CollateralUpdate, FundRunway, MarginRows, PositionUpdate, PriceUpdate } from "../engine-types";
import type { AccountRow, AccountView, BookLiquidationMap, BookStressResult, BookSummary, Page, QueueEntry, QueuePageChanges, RatioHistogram } from "@/lib/contracts/book-views";

/** How the worker's book is built (passed as `workerData`): the book's options, its first markets and the change push. */
export interface EngineInit extends LiveBookOptions {
  /** Markets to add before anything else. */
  readonly markets?: readonly MarketParams[] | undefined;
  /**
   * Change sets are pushed at most once per this many ms after a mutation (default 50; 0 = after
   * every mutating request). `null`: never pushed, the client pulls with `drainChanges`.
   */
  readonly changeIntervalMs?: number | null | undefined;
}

export interface MarketStaleUpdate {
  readonly marketId: string;
  readonly stale: boolean;
}

export interface ExecutedStep {
  readonly accountId: string;
  /** Epoch ms at which the step executed (the caller's clock). */
  readonly now: number;
}

/** A step that failed to execute (`markStepFailed`): the account is paused with `reason`, then retried. */
export interface FailedStep extends ExecutedStep {
  readonly reason: string;
}

export interface EngineStats {
  readonly markets: number;
  readonly accounts: number;
  readonly positions: number;
  readonly queueLength: number;
  readonly queueDirty: number;
  readonly plansComputed: number;
  readonly resyncs: number;
  /** Bytes of the book's typed arrays (capacity). */
  readonly typedBytes: number;
  /** The worker thread's heap in use (`process.memoryUsage().heapUsed` is per isolate). */
  readonly heapUsed: number;
}

/** Every command: its payload and its result. */
export interface EngineCommands {
  upsertMarkets: { payload: { markets: MarketParams[] }; result: null };
  applyPrices: { payload: { ticks: PriceUpdate[] }; result: { touched: number } };
  setStale: { payload: { updates: MarketStaleUpdate[] }; result: null };
  applyPositions: { payload: { updates: PositionUpdate[] }; result: null };
  applyCollateral: { payload: { entries: CollateralUpdate[] }; result: null };
  applyCollateralDeltas: { payload: { deltas: CollateralDelta[] }; result: null };
  /** Funding (spec §7) as the collateral deltas the ledger booked, one per position holder. */
  applyFunding: { payload: { deltas: CollateralDelta[] }; result: null };
  markStepExecuted: { payload: { steps: ExecutedStep[] }; result: null };
  markStepFailed: { payload: { steps: FailedStep[] }; result: null };
  summary: { payload: Record<string, never>; result: BookSummary };
  queue: { payload: { now: number; offset?: number | undefined; limit?: number | undefined }; result: Page<QueueEntry> };
  accountView: { payload: { accountId: string; now: number }; result: AccountView | null };
  atRisk: { payload: AtRiskQuery; result: Page<AccountRow> };
  /** Accounts whose id contains `q` (case-insensitive): the best `limit` (exact, prefix, substring) and how many in all. */
  searchIds: { payload: { q: string; limit: number }; result: IdSearchResult };
  /** The list rows of these accounts, in order (`null` for one the book does not hold). */
  accountRows: { payload: { ids: string[] }; result: (AccountRow | null)[] };
  dueSteps: { payload: { now: number; limit?: number | undefined }; result: QueueEntry[] };
  /** How the first `limit` queue rows changed since the previous call (one consumer: the desk stream); `reset`: all of them. */
  queueChanges: { payload: { now: number; limit: number; reset?: boolean | undefined }; result: QueuePageChanges | null };
  /** The margin-ratio distribution of every account. */
  histogram: { payload: Record<string, never>; result: RatioHistogram };
  /** Margin snapshot rows of the accounts changed since their previous row, at most `limit`, oldest first (one consumer: the snapshotter). */
  marginRows: { payload: { limit?: number | undefined }; result: MarginRows };
  /** The live state as columns (every account, or the holders of `market`), for the stress model (spec §8). */
  snapshot: { payload: { market?: string | undefined }; result: BookSnapshot };
  drainChanges: { payload: Record<string, never>; result: ChangeSet };
  stats: { payload: Record<string, never>; result: EngineStats };
  /** Spec §8 shock and cascade on the live book with the fund's balance (analytics thread). */
  stress: {
    payload: { shocks: Record<string, number>; insuranceFund: number; maxRounds?: number | undefined; depthPer1Pct?: Record<string, number> | undefined };
    result: BookStressResult;
  };
  /** The largest uniform move of every market the fund covers, to 0.1%, up to 50%, over the priced accounts (analytics thread). */
  fundRunway: { payload: { insuranceFund: number }; result: FundRunway };
  /** Spec §9 for one market at its live mark; no map before its first price; `null` for an unknown market (analytics thread). */
  liquidationMap: { payload: { marketId: string }; result: BookLiquidationMap | null };
}

export type EngineCommand = keyof EngineCommands;
export type EnginePayload<K extends EngineCommand> = EngineCommands[K]["payload"];
export type EngineResult<K extends EngineCommand> = EngineCommands[K]["result"];

/** Commands that change the book (and so may produce a change set). */
export const MUTATIONS: ReadonlySet<EngineCommand> = new Set<EngineCommand>([
  "upsertMarkets",
  "applyPrices",
  "setStale",
  "applyPositions",
  "applyCollateral",
  "applyCollateralDeltas",
  "applyFunding",
  "markStepExecuted",
  "markStepFailed",
]);

/** Commands run on the analytics thread over a snapshot taken on arrival, answered when done. */
export type AnalyticsCommand = "stress" | "fundRunway" | "liquidationMap";
export const ANALYTICS: ReadonlySet<EngineCommand> = new Set<EngineCommand>(["stress", "fundRunway", "liquidationMap"] satisfies AnalyticsCommand[]);

export type EngineRequest = { [K in EngineCommand]: { readonly id: number; readonly type: K; readonly payload: EnginePayload<K> } }[EngineCommand];

export interface EngineErrorBody {
  readonly name: string;
  readonly message: string;
  /** Present for `RiskInputError`: every bad field. */
  readonly issues?: readonly RiskIssue[] | undefined;
}

export type EngineResponse =
  | { readonly kind: "response"; readonly id: number; readonly ok: true; readonly result: unknown }
  | { readonly kind: "response"; readonly id: number; readonly ok: false; readonly error: EngineErrorBody };

export type EngineEvent = { readonly kind: "ready" } | { readonly kind: "changes"; readonly changes: ChangeSet };

export type EngineMessage = EngineResponse | EngineEvent;
