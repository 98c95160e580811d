import { guarded } from "@/lib/server/auth/guard";
import { access } from "@/lib/server/auth/policy";
import { searchParams } from "@/lib/server/http/search-params";

/**
 * `GET /api/v1/alerts?state=&severity=&ruleId=&marketId=&accountId=&assignee=&snoozed=&offset=&limit=`
 * (desk): alerts newest raised first (unresolved ones unless `state` says otherwise); docs/ALERTS.md.
 */
export const GET = guarded(access.desk, async ({ request, services }) => Response.json(await services.alerts.list(searchParams(request))));
