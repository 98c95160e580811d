import { z } from "zod";
import { ACCOUNT_STATUSES, type EvaluateResult } from "@/lib/risk";

/** Output of `POST /api/v1/risk/evaluate` and `risk evaluate` (spec §10), key order as emitted. */
export const closeSchema = z.strictObject({
  marketId: z.string(),
  side: z.enum(["buy", "sell"]),
  qty: z.number(),
  markPrice: z.number(),
  expectedPrice: z.number(),
  notional: z.number(),
  slippageCost: z.number(),
  fee: z.number(),
  /** Only when `a(X) >= 1`: `expectedPrice` is the formula's value, not a price (spec §5, docs/API.md). */
  beyondDepth: z.literal(true).optional(),
});
export type CloseView = z.infer<typeof closeSchema>;

export const liquidationPlanSchema = z.strictObject({
  mode: z.enum(["none", "partial", "full"]),
  closes: z.array(closeSchema),
  nextStep: closeSchema.nullable(),
  after: z.strictObject({ equity: z.number(), maintenanceMargin: z.number() }),
  deficit: z.number(),
  /** Only when the next step holds a close beyond the book's depth: why it is not executed. */
  unexecutable: z.string().optional(),
});
export type LiquidationPlanView = z.infer<typeof liquidationPlanSchema>;

export const positionFiguresSchema = z.strictObject({
  marketId: z.string(),
  qty: z.number(),
  notional: z.number(),
  unrealizedPnl: z.number(),
  maintenanceMargin: z.number(),
  initialMargin: z.number(),
  /** 1-based. */
  tier: z.number().int(),
  /** `null`: no price in this market alone liquidates the account (for an isolated position: the position). */
  liquidationPrice: z.number().nullable(),
  /** Spec §11, isolated positions only (absent on a cross one): the unit's own margin and figures. */
  marginMode: z.literal("isolated").optional(),
  isolatedMargin: z.number().optional(),
  equity: z.number().optional(),
  marginRatio: z.number().nullable().optional(),
  health: z.number().nullable().optional(),
  status: z.enum(ACCOUNT_STATUSES).optional(),
  liquidation: liquidationPlanSchema.optional(),
});
export type PositionFiguresView = z.infer<typeof positionFiguresSchema>;

export const accountEvaluationSchema = z.strictObject({
  id: z.string(),
  equity: z.number(),
  maintenanceMargin: z.number(),
  initialMargin: z.number(),
  /** `MM / equity`; 1 = liquidation; `null` when equity <= 0. */
  marginRatio: z.number().nullable(),
  /** `equity / MM`; `null` with no position. */
  health: z.number().nullable(),
  /** The worst of the cross part and every isolated position (spec §11). */
  status: z.enum(ACCOUNT_STATUSES),
  /** The cross part's own status; present only when the account holds an isolated position. */
  crossStatus: z.enum(ACCOUNT_STATUSES).optional(),
  positions: z.array(positionFiguresSchema),
  /** The plan of the cross part (each isolated position carries its own). */
  liquidation: liquidationPlanSchema,
});
export type AccountEvaluationView = z.infer<typeof accountEvaluationSchema>;

export const evaluateResponseSchema = z.strictObject({ accounts: z.array(accountEvaluationSchema) });
export type EvaluateResponse = z.infer<typeof evaluateResponseSchema>;

// The model's output is the response body.
const modelOutputIsResponse = (r: EvaluateResult): EvaluateResponse => r;
void modelOutputIsResponse;
