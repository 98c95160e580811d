import { BODY_LIMITS } from "@/lib/server/http/body-limits";
import { readJson } from "@/lib/server/http/read-body";
import { guarded } from "@/lib/server/auth/guard";
import { access } from "@/lib/server/auth/policy";

/** `GET /api/v1/alert-rules` (desk): every rule, its parameters with their defaults. */
export const GET = guarded(access.desk, async ({ services }) => Response.json(await services.alerts.rules()));

/**
 * `POST /api/v1/alert-rules` `{ name, kind, severity, params?, scope?, marketId?, accountIds?, enabled? }`
 * (desk): 201 with the new rule; 400 naming the field (nothing saved); audited. docs/ALERTS.md.
 */
export const POST = guarded(access.desk, async ({ request, principal, services }) => {
  if (principal.kind !== "user") throw new Error("unreachable: the policy admits only users here");
  return Response.json(await services.alerts.createRule(principal, await readJson(request, BODY_LIMITS.alertRule)), { status: 201 });
});
