import { BODY_LIMITS } from "@/lib/server/http/body-limits";
import { readJson } from "@/lib/server/http/read-body";
import { guarded } from "@/lib/server/auth/guard";
import { access } from "@/lib/server/auth/policy";

/** `POST /api/v1/accounts/:id/margin-calls/:callId/cancel` `{ note }` (desk): the call cancelled; 404 no such call, 409 not open. */
export const POST = guarded<{ id: string; callId: string }>(access.desk, async ({ request, params, principal, services }) => {
  if (principal.kind !== "user") throw new Error("unreachable: the policy admits only users here");
  return Response.json(await services.marginCalls.cancel(principal, params.id, params.callId, await readJson(request, BODY_LIMITS.topUp)));
});
