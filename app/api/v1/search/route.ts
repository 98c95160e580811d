import { guarded } from "@/lib/server/auth/guard";
import { access } from "@/lib/server/auth/policy";
import { searchParams } from "@/lib/server/http/search-params";

/** `GET /api/v1/search?q=` (desk): up to 20 accounts by a part of the id or of an owner's e-mail, best match first. */
export const GET = guarded(access.desk, async ({ request, services }) => Response.json(await services.accounts.search(searchParams(request))));
