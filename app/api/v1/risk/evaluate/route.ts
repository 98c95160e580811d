import type { ApiErrorBody, FieldError } from "@/lib/contracts/api-error";
import { safeParseRiskScenario } from "@/lib/contracts/risk-scenario";
import { evaluateScenario } from "@/lib/risk";

/** Largest request body accepted (bytes of JSON text). */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

function invalidInput(fields: FieldError[]): Response {
  const body: ApiErrorBody = {
    error: { code: "invalid_input", message: fields.map((f) => `${f.path}: ${f.message}`).join("; "), fields },
  };
  return Response.json(body, { status: 400 });
}

/**
 * `POST /api/v1/risk/evaluate` (spec §10): a scenario in, the figures and plans of every account
 * out, the same contract as `npm run risk -- evaluate`. Invalid input: 400 `invalid_input` naming
 * every bad field; nothing is evaluated. Pure computation on the request body, no live state.
 */
export async function POST(request: Request): Promise<Response> {
  const text = await request.text();
  if (text.length > MAX_BODY_BYTES) {
    const body: ApiErrorBody = { error: { code: "payload_too_large", message: `body is larger than ${MAX_BODY_BYTES} bytes` } };
    return Response.json(body, { status: 413 });
  }
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch {
    return invalidInput([{ path: "(body)", message: "body is not valid JSON" }]);
  }
  const parsed = safeParseRiskScenario(input);
  if (!parsed.success) return invalidInput(parsed.fields);
  return Response.json(evaluateScenario(parsed.data));
}
