import { guarded } from "@/lib/server/auth/guard";
import { access } from "@/lib/server/auth/policy";

/** `GET /api/v1/alerts/:id` (desk): the alert, its rule and its history, oldest first. */
export const GET = guarded<{ id: string }>(access.desk, async ({ params, services }) => Response.json(await services.alerts.detail(params.id)));
