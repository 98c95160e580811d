import "server-only";
import { InputError } from "@/lib/contracts/api-error";
import { safeParseRiskScenario } from "@/lib/contracts/risk-scenario";
import { evaluateScenario } from "@/lib/risk";
import { readJson } from "./read-body";
import { withErrors } from "./with-errors";

/**
 * The answer of `POST /api/v1/risk/evaluate` (spec §10) to a request: a scenario in, the figures
 * and plans of every account out, the same contract as `npm run risk -- evaluate`. Invalid input:
 * 400 `invalid_input` naming every bad field; nothing is evaluated. Pure computation on the
 * request body, no live state. Who may ask is the route's business (signed in).
 */
export const evaluateRisk = withErrors(async (request: Request) => {
  const parsed = safeParseRiskScenario(await readJson(request));
  if (!parsed.success) throw new InputError(parsed.fields);
  return Response.json(evaluateScenario(parsed.data));
});
