import { BODY_LIMITS } from "@/lib/server/http/body-limits";
import { readJson } from "@/lib/server/http/read-body";
import { guarded } from "@/lib/server/auth/guard";
import { access } from "@/lib/server/auth/policy";

/**
 * `POST /api/v1/accounts/:id/topups` `{ amount, idempotencyKey, note? }` (desk with a note, owner):
 * 201 with the new ledger entry and the account after it; 200 with the first entry on a replay.
 */
export const POST = guarded<{ id: string }>(access.deskOrOwner, async ({ request, params, principal, services }) => {
  if (principal.kind !== "user") throw new Error("unreachable: the policy admits only users here");
  const result = await services.accounts.submitTopUp(principal, params.id, await readJson(request, BODY_LIMITS.topUp));
  return Response.json(result, { status: result.replayed ? 200 : 201 });
}, (_request, params) => params.id);
