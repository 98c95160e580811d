import { guarded } from "@/lib/server/auth/guard";
import { access } from "@/lib/server/auth/policy";

/** `GET /api/v1/webhooks/rules` (desk): the alert rules a webhook may filter on (`ruleIds`). */
export const GET = guarded(access.desk, async ({ services }) => Response.json(await services.webhooks.rules()));
