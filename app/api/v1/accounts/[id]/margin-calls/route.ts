import { BODY_LIMITS } from "@/lib/server/http/body-limits";
import { readJson } from "@/lib/server/http/read-body";
import { guarded } from "@/lib/server/auth/guard";
import { access } from "@/lib/server/auth/policy";

/** `GET /api/v1/accounts/:id/margin-calls` (desk, owner): the account's margin calls, newest first; for the desk also what a new call would ask. */
export const GET = guarded<{ id: string }>(access.deskOrOwner, async ({ params, principal, services }) =>
  Response.json(await services.marginCalls.list(principal, params.id)), (_request, params) => params.id);

/**
 * `POST /api/v1/accounts/:id/margin-calls` `{ amount?, deadline, message, alertId? }` (desk): 201 with
 * the call (amount by default the top-up-to-safe); 400 naming the field, 409 when one is open already.
 */
export const POST = guarded<{ id: string }>(access.desk, async ({ request, params, principal, services }) => {
  if (principal.kind !== "user") throw new Error("unreachable: the policy admits only users here");
  const call = await services.marginCalls.issue(principal, params.id, await readJson(request, BODY_LIMITS.topUp));
  return Response.json(call, { status: 201 });
});
