import { queryInt, querySchema } from "@/lib/contracts/query";
import { parseInput } from "@/lib/contracts/api-error";
import { textSchema } from "@/lib/contracts/text";
import { guarded } from "@/lib/server/auth/guard";
import { access } from "@/lib/server/auth/policy";
import { searchParams } from "@/lib/server/http/search-params";

const query = querySchema({ accountId: textSchema(128).optional(), limit: queryInt(1, 1000).default(100) });

/**
 * `GET /api/v1/liquidations/events`: executed steps, newest first (one account with `accountId`).
 * The desk sees every account's; a trader only one of their own, named by `accountId`.
 */
export const GET = guarded(access.deskOrOwner, async ({ request, services }) => {
  const q = parseInput(query, searchParams(request));
  return Response.json(await services.desk.events(q.accountId, q.limit));
}, (request) => new URL(request.url).searchParams.get("accountId") ?? undefined);
