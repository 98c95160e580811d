import { queryDecimal, queryInt, querySchema } from "@/lib/contracts/query";
import { z } from "zod";
import {
  AT_RISK_SORTS, type AccountRow, type AccountView, type BookStressResult, type BookSummary, type Page, type QueueEntry,
  type QueuePageChanges, type RatioHistogram, type UnknownAccounts,
} from "@/lib/contracts/book-views";
import { LIVE_STATUSES, MAX_ROUNDS_LIMIT, SHOCK_MAX, SHOCK_MIN, shockRangeMessage, type RiskParams } from "@/lib/risk";
import { BOUNDS } from "@/lib/risk/bounds";
import { marketRecord } from "@/lib/contracts/market-record";
import { textSchema } from "@/lib/contracts/text";
import { expected } from "./zod-issues";


/** One executed liquidation step as the desk sees it (decimal strings are exact, from the ledger). */
export interface LiquidationEventView {
  id: string;
  accountId: string;
  marketId: string;
  side: "buy" | "sell";
  qty: string;
  price: string;
  markPrice: string;
  notional: string;
  fee: string;
  slippage: string;
  realizedPnl: string;
  deficit: string;
  mode: "partial" | "full";
  /** Epoch ms. */
  executedAt: number;
}

/**
 * The risk parameters the figures were computed with: spec §6 (`warnRatio`, `targetBuffer`, the
 * step cap `maxStepFraction` of positions above `largeNotional`, `backstopFraction`, `cooldownMs`)
 * and §7 (`staleAfterMs`: a market without a source fresher than this is stale).
 */
export interface DeskRiskParams extends RiskParams {
  readonly staleAfterMs: number;
}

export interface InsuranceFundView {
  /** Decimal string, exact. */
  balance: string;
  /** Σ uncovered bad debt so far (decimal string, ≥ 0). */
  uncoveredBadDebt: string;
  /** The largest uniform fall of every market the fund covers (stress model, spec §8), as a fraction; null while unknown. */
  coversMove: number | null;
  /** Epoch ms at which `coversMove` was computed. */
  coversMoveTs: number | null;
  /** The accounts `coversMove` leaves out (a position in a market never priced: figures unknown); null while not computed. */
  coversMoveUnknownAccounts: UnknownAccounts | null;
}

/** What the desk shows at the top, all figures live. */
export interface DeskSummary {
  book: BookSummary;
  fund: InsuranceFundView;
}

/**
 * Everything the desk page needs at once: the server render seeds TanStack Query with it. It is
 * the state a client has after applying every delta up to `seq` (cool-downs measured at
 * `serverTime`), so that the deltas after it apply exactly.
 */
export interface DeskSnapshot {
  /** The socket stream's sequence number this snapshot is as new as. */
  seq: number;
  /** When the server last confirmed this state current (the time of delta `seq`). */
  serverTime: number;
  /**
   * When `summary` was last known current, ≤ `serverTime`: the summary goes at most twice a second
   * and the histogram once, so under a busy feed they can be older than the rest; their ages count from here.
   */
  summaryTs: number;
  /** When `histogram` was last known current, ≤ `serverTime` (see `summaryTs`). */
  histogramTs: number;
  riskParams: DeskRiskParams;
  summary: DeskSummary;
  histogram: RatioHistogram;
  /** The pending-liquidation queue, first QUEUE_ROWS entries in queue order, with `total`. */
  queue: Page<QueueEntry>;
  /** The newest executed liquidation steps, newest first. */
  events: LiquidationEventView[];
}
export const QUEUE_ROWS = 200;
export const FEED_EVENTS = 50;

/** At least one `desk:delta` goes out this often, empty when nothing changed (a heartbeat). */
export const DESK_HEARTBEAT_MS = 1000;

/**
 * A numbered change, `seq` one more than the previous delta's. `summary` and `histogram` replace
 * those parts when present; `queue` changes the queue's rows (`applyQueueChanges`); `events` are
 * prepended. A delta with none of them is a heartbeat: the state is current as of `serverTime`
 * (one at least every `DESK_HEARTBEAT_MS` plus the push interval, so a gap in `seq` shows within
 * about two seconds). `summaryTs` / `histogramTs` are present when the book changed in a way that
 * part shows but it was not due yet (paced): the part held is current only as of that time;
 * absent, it is current as of `serverTime`.
 */
export interface DeskDelta {
  seq: number;
  serverTime: number;
  summaryTs?: number;
  histogramTs?: number;
  summary?: DeskSummary;
  histogram?: RatioHistogram;
  queue?: QueuePageChanges;
  events?: LiquidationEventView[];
}

/** `GET /api/v1/accounts` query. */
export const accountsQuerySchema = querySchema({
  // One status or several (`?status=a&status=b`); a bad one is named by its place (`status[1]`).
  status: z.preprocess((v) => (typeof v === "string" ? [v] : v), z.array(z.enum(LIVE_STATUSES))).optional(),
  market: textSchema(64).optional(),
  minRatio: queryDecimal(0, 1e6).optional(),
  sort: z.enum(AT_RISK_SORTS).default("marginRatio:desc"),
  q: textSchema(64, { min: 0 }).optional(),
  offset: queryInt(0, 10_000_000).default(0),
  limit: queryInt(1, 1000).default(100),
});
export type AccountsQuery = z.infer<typeof accountsQuerySchema>;

/** One row of `GET /api/v1/accounts`: the engine's row and the e-mails of the users bound to the account (empty when none is). */
export interface AccountListRow extends AccountRow {
  readonly owners: string[];
}

/** `GET /api/v1/accounts/:id`: the live view plus its history. */
export interface AccountDetail {
  view: AccountView;
  riskParams: DeskRiskParams;
  history: { ts: number; marginRatio: number | null; equity: number; maintenanceMargin: number; status: string }[];
  ledger: { id: string; kind: string; amount: string; balanceAfter: string; note: string | null; createdAt: number }[];
  events: LiquidationEventView[];
  serverTime: number;
}

/**
 * `POST /api/v1/stress` against the live book: shocks by market id (fractions in `[-0.99, 10]`,
 * spec §8), an optional round cap, and `depthPer1Pct` overrides by market id for this run
 * (USD, finite, `> 0`; the markets' own values otherwise).
 */
export const deskStressRequestSchema = z.object({
  shocks: marketRecord(textSchema(64), z.number({ error: expected("a finite number") }).refine((v) => v >= SHOCK_MIN && v <= SHOCK_MAX, {
    error: (issue) => shockRangeMessage(issue.input as number),
  })),
  maxRounds: z.number().int().min(0).max(MAX_ROUNDS_LIMIT).optional(),
  depthPer1Pct: marketRecord(textSchema(64), z.number({ error: expected("a finite number") })
    .min(BOUNDS.market.depthPer1Pct.min, { error: `must be at least ${BOUNDS.market.depthPer1Pct.min} (USD of notional per 1% move)` })
    .max(BOUNDS.market.depthPer1Pct.max, { error: `must be at most ${BOUNDS.market.depthPer1Pct.max} (USD of notional per 1% move)` })).optional(),
});
export type DeskStressRequest = z.infer<typeof deskStressRequestSchema>;

export interface DeskStressResponse {
  /** Over the priced accounts; `result.unknownAccounts` counts those left out (a position in a market never priced). */
  result: BookStressResult;
  /** The fund balance the stress ran with (decimal string) and when the live state was taken. */
  insuranceFund: string;
  asOf: number;
}
