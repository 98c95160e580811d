import { InputError } from "@/lib/contracts/api-error";
import { safeParseRiskScenario } from "@/lib/contracts/risk-scenario";
import { evaluateScenario } from "@/lib/risk";
import { readJson, withErrors } from "@/lib/server/http/with-errors";

/**
 * `POST /api/v1/risk/evaluate` (spec §10): a scenario in, the figures and plans of every account
 * out, the same contract as `npm run risk -- evaluate`. Invalid input: 400 `invalid_input` naming
 * every bad field; nothing is evaluated. Pure computation on the request body, no live state.
 */
export const POST = withErrors(async (request: Request) => {
  const parsed = safeParseRiskScenario(await readJson(request));
  if (!parsed.success) throw new InputError(parsed.fields);
  return Response.json(evaluateScenario(parsed.data));
});
