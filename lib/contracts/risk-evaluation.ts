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
  /** `null`: no price in this market alone liquidates the account. */
  liquidationPrice: z.number().nullable(),
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
  status: z.enum(ACCOUNT_STATUSES),
  positions: z.array(positionFiguresSchema),
  liquidation: liquidationPlanSchema,
});
export type AccountEvaluationView = z.infer<typeof accountEvaluationSchema>;

export const evaluateResponseSchema = z.strictObject({ accounts: z.array(accountEvaluationSchema) });
export type EvaluateResponse = z.infer<typeof evaluateResponseSchema>;

// The model's output is the response body.
const modelOutputIsResponse = (r: EvaluateResult): EvaluateResponse => r;
void modelOutputIsResponse;
