import { guarded } from "@/lib/server/auth/guard";
import { access } from "@/lib/server/auth/policy";
import { searchParams } from "@/lib/server/http/search-params";

/** `GET /api/v1/webhooks/:id/deliveries?state=&before=&limit=` (desk): the delivery log, newest first. */
export const GET = guarded<{ id: string }>(access.desk, async ({ request, params, services }) =>
  Response.json(await services.webhooks.deliveries(params.id, searchParams(request))));
