import { z } from "zod";
import { InputError } from "@/lib/contracts/api-error";
import { marketRecord } from "@/lib/contracts/market-record";
import { riskScenarioShape } from "@/lib/contracts/risk-scenario";
import { textSchema } from "@/lib/contracts/text";
import { expected, toFieldErrors, type FieldParseResult } from "@/lib/contracts/zod-issues";
import { validateStressScenario, type StressScenario } from "@/lib/risk";

/**
 * Input of `risk stress` (spec §8): the scenario of §10 plus `shocks` (relative move by market id,
 * each in `[-0.99, 10]`), an optional `insuranceFund` balance (default 0), `maxRounds` (default 50,
 * at most 1000; 0 = shock only) and `depthPer1Pct` overrides by market id for this run.
 */
export const stressRequestSchema = z.object(
  {
    ...riskScenarioShape,
    shocks: marketRecord(textSchema(128), z.number({ error: expected("a finite number") }), {
      error: expected("an object of shocks by market id"),
    }),
    insuranceFund: z.number({ error: expected("a finite number") }).optional(),
    maxRounds: z.number({ error: expected("a whole number") }).optional(),
    depthPer1Pct: marketRecord(textSchema(128), z.number({ error: expected("a finite number") }), {
      error: expected("an object of depthPer1Pct by market id"),
    }).optional(),
  },
  { error: expected("a JSON object") },
);
export type StressRequestInput = z.input<typeof stressRequestSchema>;

const parsedIsModelInput = (s: z.infer<typeof stressRequestSchema>): StressScenario => s;
void parsedIsModelInput;

/** Parses and validates a stress request; on failure names every bad field. */
export function safeParseStressRequest(input: unknown): FieldParseResult<StressScenario> {
  const shape = stressRequestSchema.safeParse(input);
  if (!shape.success) return { success: false, fields: toFieldErrors(shape.error.issues) };
  const issues = validateStressScenario(shape.data);
  if (issues.length > 0) return { success: false, fields: toFieldErrors(issues) };
  return { success: true, data: shape.data };
}

/** `safeParseStressRequest` that throws an `InputError` on failure. */
export function parseStressRequest(input: unknown): StressScenario {
  const result = safeParseStressRequest(input);
  if (!result.success) throw new InputError(result.fields);
  return result.data;
}
