import { BODY_LIMITS } from "@/lib/server/http/body-limits";
import { readJson } from "@/lib/server/http/read-body";
import { guarded } from "@/lib/server/auth/guard";
import { access } from "@/lib/server/auth/policy";

/** `POST /api/v1/alerts/:id/acknowledge` (desk) `{ note? }`: open → acknowledged (who, when, the note); 409 when it is not open. Audited; the alert after it. */
export const POST = guarded<{ id: string }>(access.desk, async ({ request, params, principal, services }) => {
  if (principal.kind !== "user") throw new Error("unreachable: the policy admits only users here");
  return Response.json(await services.alerts.acknowledge(principal, params.id, await readJson(request, BODY_LIMITS.topUp)));
});
