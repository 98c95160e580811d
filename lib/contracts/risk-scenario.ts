import { z } from "zod";
import { InputError } from "@/lib/contracts/api-error";
import { marketRecord } from "@/lib/contracts/market-record";
import { textSchema } from "@/lib/contracts/text";
import { expected, toFieldErrors, type FieldParseResult } from "@/lib/contracts/zod-issues";
import { MARGIN_MODES, validateScenario, type RiskScenario } from "@/lib/risk";

/**
 * Input of `POST /api/v1/risk/evaluate` and `risk evaluate` (spec §10). The schema checks shape,
 * types and finiteness; ranges and cross-field rules (spec §2 market rules, unknown markets, whole
 * lots, prices > 0, parameter ranges…) are `validateScenario`'s, run once the shape is right.
 * Unknown keys are dropped, except in `params`, where a misspelt parameter is an error
 * (`params.targetBufer: unknown parameter`).
 */
const finite = () => z.number({ error: expected("a finite number") });
const text = () => textSchema(128);

export const tierParamsSchema = z.object({
  maxNotional: z.number({ error: expected("a finite number or null") }).nullable(),
  mmr: finite(),
  maxLeverage: finite(),
});

export const marketParamsSchema = z.object({
  id: text(),
  lotSize: finite(),
  tickSize: finite(),
  liquidationFeeRate: finite(),
  /** Spec §11: the closing fee counted in maintenance; optional, default 0, in `[0, 1)`. */
  maintenanceFeeRate: finite().optional(),
  tiers: z.array(tierParamsSchema, { error: expected("an array of tiers") }),
  liquidity: z.object(
    { halfSpreadBps: finite(), depthPer1Pct: finite() },
    { error: expected("an object { halfSpreadBps, depthPer1Pct }") },
  ),
});

// Loose here so that `validateRiskParams` can name a misspelt parameter by its own path.
export const riskParamsSchema = z.looseObject(
  {
    warnRatio: finite().optional(),
    targetBuffer: finite().optional(),
    maxStepFraction: finite().optional(),
    largeNotional: finite().optional(),
    backstopFraction: finite().optional(),
    cooldownMs: finite().optional(),
  },
  { error: expected("an object") },
);

/**
 * A position; spec §11: `marginMode` (`cross` by default, or `isolated`) and, on an isolated one
 * only, `isolatedMargin` (USD; `validateMarginMode` checks the pairing).
 */
export const positionInputSchema = z.object({
  marketId: text(),
  qty: finite(),
  entryPrice: finite(),
  marginMode: z.enum(MARGIN_MODES, { error: expected(`one of ${MARGIN_MODES.join(", ")}`) }).optional(),
  isolatedMargin: finite().optional(),
});

export const accountInputSchema = z.object({
  id: text(),
  collateral: finite(),
  positions: z.array(positionInputSchema, { error: expected("an array of positions") }),
});

export const riskScenarioShape = {
  markets: z.array(marketParamsSchema, { error: expected("an array of markets") }),
  prices: marketRecord(text(), finite(), { error: expected("an object of prices by market id") }),
  params: riskParamsSchema.optional(),
  accounts: z.array(accountInputSchema, { error: expected("an array of accounts") }),
};

export const riskScenarioSchema = z.object(riskScenarioShape, { error: expected("a JSON object") });

export type RiskScenarioInput = z.input<typeof riskScenarioSchema>;

// The parsed scenario is what the model takes.
const parsedIsModelInput = (s: z.infer<typeof riskScenarioSchema>): RiskScenario => s;
void parsedIsModelInput;

/** Parses and validates a scenario; on failure names every bad field. Nothing is evaluated. */
export function safeParseRiskScenario(input: unknown): FieldParseResult<RiskScenario> {
  const shape = riskScenarioSchema.safeParse(input);
  if (!shape.success) return { success: false, fields: toFieldErrors(shape.error.issues) };
  const issues = validateScenario(shape.data);
  if (issues.length > 0) return { success: false, fields: toFieldErrors(issues) };
  return { success: true, data: shape.data };
}

/** `safeParseRiskScenario` that throws an `InputError` (HTTP 400 `invalid_input`) on failure. */
export function parseRiskScenario(input: unknown): RiskScenario {
  const result = safeParseRiskScenario(input);
  if (!result.success) throw new InputError(result.fields);
  return result.data;
}
