import { BODY_LIMITS } from "@/lib/server/http/body-limits";
import { readJson } from "@/lib/server/http/read-body";
import { guarded } from "@/lib/server/auth/guard";
import { access } from "@/lib/server/auth/policy";

/** `GET /api/v1/webhooks/:id` (desk). */
export const GET = guarded<{ id: string }>(access.desk, async ({ params, services }) => Response.json(await services.webhooks.get(params.id)));

/**
 * `PATCH /api/v1/webhooks/:id` (desk): the fields to change; `{ "enabled": true }` turns a disabled
 * webhook on again. The result is checked whole: 400 naming the field, nothing saved.
 */
export const PATCH = guarded<{ id: string }>(access.desk, async ({ request, params, principal, services }) => {
  if (principal.kind !== "user") throw new Error("unreachable: the policy admits only users here");
  return Response.json(await services.webhooks.update(principal, params.id, await readJson(request, BODY_LIMITS.webhook)));
});

/** `DELETE /api/v1/webhooks/:id` (desk): the webhook and its delivery log; 204. */
export const DELETE = guarded<{ id: string }>(access.desk, async ({ params, principal, services }) => {
  if (principal.kind !== "user") throw new Error("unreachable: the policy admits only users here");
  await services.webhooks.remove(principal, params.id);
  return new Response(null, { status: 204 });
});
