import { listAccounts } from "@/lib/server/read-model";
import { withErrors } from "@/lib/server/http/with-errors";
import { searchParams } from "@/lib/server/http/search-params";

/** `GET /api/v1/accounts?status=&market=&minRatio=&sort=&q=&offset=&limit=`: a page of accounts. */
export const GET = withErrors(async (request: Request) => Response.json(await listAccounts(searchParams(request))));
