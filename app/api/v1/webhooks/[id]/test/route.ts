import { guarded } from "@/lib/server/auth/guard";
import { access } from "@/lib/server/auth/policy";

/**
 * `POST /api/v1/webhooks/:id/test` (desk, no body): sends a `webhook.test` event now, one attempt
 * (at most the webhook timeout), and answers with its delivery: status, latency, error.
 */
export const POST = guarded<{ id: string }>(access.desk, async ({ params, principal, services }) => {
  if (principal.kind !== "user") throw new Error("unreachable: the policy admits only users here");
  return Response.json(await services.webhooks.test(principal, params.id));
});
