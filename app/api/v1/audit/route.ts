import { guarded } from "@/lib/server/auth/guard";
import { access } from "@/lib/server/auth/policy";
import { searchParams } from "@/lib/server/http/search-params";

/** `GET /api/v1/audit?accountId=&action=&before=&limit=` (desk): who did what, when, to which account, with the note; newest first. */
export const GET = guarded(access.desk, async ({ request, services }) => Response.json(await services.audit.list(searchParams(request))));
