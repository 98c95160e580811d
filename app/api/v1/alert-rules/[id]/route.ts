import { BODY_LIMITS } from "@/lib/server/http/body-limits";
import { readJson } from "@/lib/server/http/read-body";
import { guarded } from "@/lib/server/auth/guard";
import { access } from "@/lib/server/auth/policy";

/**
 * `PATCH /api/v1/alert-rules/:id` (desk): the fields named change (`params` laid over the rule's);
 * the kind never does; 400 naming the field (nothing saved); audited with before and after.
 */
export const PATCH = guarded<{ id: string }>(access.desk, async ({ request, params, principal, services }) => {
  if (principal.kind !== "user") throw new Error("unreachable: the policy admits only users here");
  return Response.json(await services.alerts.updateRule(principal, params.id, await readJson(request, BODY_LIMITS.alertRule)));
});

/** `DELETE /api/v1/alert-rules/:id` (desk): a rule the desk added that never raised an alert (409 otherwise: disable it); audited. */
export const DELETE = guarded<{ id: string }>(access.desk, async ({ params, principal, services }) => {
  if (principal.kind !== "user") throw new Error("unreachable: the policy admits only users here");
  return Response.json(await services.alerts.deleteRule(principal, params.id));
});
