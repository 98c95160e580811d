import Decimal from "decimal.js";
import { z } from "zod";
import type { AccountStatus, LiquidationTrigger, LiveStatus } from "@/lib/risk";
import type { AccountView } from "@/lib/contracts/book-views";
import { BOUNDS } from "@/lib/risk/bounds";
import { decimalSchema } from "@/lib/contracts/ingest-collateral";
import { textSchema } from "@/lib/contracts/text";
import { expected } from "@/lib/contracts/zod-issues";

/**
 * The collateral is USD kept to the micro-dollar: a top-up has at most this many decimals (the
 * ledger's `Decimal(38,18)` would hold more; the venue's USD balances do not).
 */
export const COLLATERAL_DECIMALS = 6;

/**
 * A top-up amount: an exact decimal > 0 with at most COLLATERAL_DECIMALS decimals, at most
 * BOUNDS.amount.maxAbs USD (the server's own maximum, LIQDESK_TOPUP_MAX, is at most that and is
 * checked by the server).
 */
export const topUpAmountSchema = decimalSchema({ sign: "positive", range: { max: BOUNDS.amount.maxAbs, unit: "USD" } }).superRefine((amount, ctx) => {
  if (new Decimal(amount).decimalPlaces() > COLLATERAL_DECIMALS) {
    ctx.addIssue({ code: "custom", message: `${amount} has more than ${COLLATERAL_DECIMALS} decimals (USD collateral is kept to ${COLLATERAL_DECIMALS})` });
  }
});

/**
 * Spec §11 "add margin": with `marketId`, a top-up of the account's isolated position in that
 * market: the amount moves from the account's cross collateral into the position's margin.
 */
const isolatedMarketSchema = textSchema(64).optional();

/** `POST /api/v1/accounts/:id/topups/preview`: the effect of an amount (none: the account as it is, with the presets). */
export const topUpPreviewRequestSchema = z.object({ amount: topUpAmountSchema.optional(), marketId: isolatedMarketSchema }, { error: expected("a JSON object") });

/** `POST /api/v1/accounts/:id/topups`. The desk must write a note; a trader may. */
export const topUpRequestSchema = z.object({
  amount: topUpAmountSchema,
  /** Chosen by the client once per intended top-up: a resubmission with the same key applies nothing more. */
  idempotencyKey: textSchema(200),
  note: textSchema(500, { min: 0 }).trim().optional(),
  marketId: isolatedMarketSchema,
}, { error: expected("a JSON object") });
export type TopUpRequest = z.infer<typeof topUpRequestSchema>;

/** An account's margin as the preview shows it before or after the amount. */
export interface TopUpSide {
  collateral: number;
  equity: number;
  maintenanceMargin: number;
  /** MM / equity, 1 = liquidation; null when equity <= 0. */
  marginRatio: number | null;
  status: AccountStatus;
  /** At or below maintenance margin: in the liquidation queue. */
  inQueue: boolean;
  positions: { marketId: string; markPrice: number; liquidationPrice: number | null }[];
}

export interface TopUpPreview {
  accountId: string;
  /**
   * Spec §11: the isolated position the amount is added to (`before`/`after` are then that
   * position's own: `collateral` its margin, `positions` itself); null for a top-up of the account.
   */
  marketId: string | null;
  /** With `marketId`: the account's cross collateral before and after the move (it pays for it). */
  crossCollateral: { before: number; after: number } | null;
  /** The amount previewed (canonical decimal string), null without one. */
  amount: string | null;
  before: TopUpSide;
  after: TopUpSide;
  /** Least amounts, rounded up to the cent, that take the account out of the queue / make it healthy; null when it already is. */
  presets: { leaveQueue: string | null; healthy: string | null };
  /** Above maintenance: the mark that would start liquidation and the plan at it (null in the queue or when no move can). */
  trigger: LiquidationTrigger | null;
  /**
   * The account as the preview found it (collateral, status, positions): a page shows the preview
   * beside its live figures only while they are of the same account state, else marks it updating.
   */
  basis: { collateral: number; status: LiveStatus; positions: { marketId: string; qty: number }[] };
  /** The largest top-up the server takes (decimal string, USD). */
  maxAmount: string;
  decimals: number;
  serverTime: number;
}

/** The answer to a top-up: the ledger entry (the first one when `replayed`) and the account after it. */
export interface TopUpResult {
  /** The same idempotency key was already applied with the same body: nothing new was written. */
  replayed: boolean;
  /**
   * `amount` added; `balanceAfter` the account's collateral after it, or for margin added to an
   * isolated position (`marketId` set) that position's margin after it.
   */
  entry: { id: string; accountId: string; amount: string; balanceAfter: string; note: string | null; createdAt: number; marketId?: string };
  view: AccountView;
  serverTime: number;
}

/** One row of the desk's audit log (`GET /api/v1/audit`). */
export interface AuditEntryView {
  id: string;
  createdAt: number;
  /** Who: the user's email and role, or the actor label ("cli", "ingest:<name>", "system"). */
  actor: string;
  role: "desk" | "trader" | null;
  action: string;
  accountId: string | null;
  note: string | null;
  details: unknown;
}
