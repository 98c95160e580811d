import { guarded } from "@/lib/server/auth/guard";
import { access } from "@/lib/server/auth/policy";

/** `GET /api/v1/alerts/counts` (desk): open alerts needing attention by severity, unresolved by state, snoozed now. */
export const GET = guarded(access.desk, async ({ services }) => Response.json(await services.alerts.counts()));
