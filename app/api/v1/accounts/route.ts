import { guarded } from "@/lib/server/auth/guard";
import { access } from "@/lib/server/auth/policy";
import { searchParams } from "@/lib/server/http/search-params";

/** `GET /api/v1/accounts?status=&market=&minRatio=&sort=&q=&offset=&limit=` (desk): a page of accounts. */
export const GET = guarded(access.desk, async ({ request, services }) => Response.json(await services.accounts.list(searchParams(request))));
