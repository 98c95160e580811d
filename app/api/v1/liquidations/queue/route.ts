import { queryInt, querySchema } from "@/lib/contracts/query";
import { parseInput } from "@/lib/contracts/api-error";
import { guarded } from "@/lib/server/auth/guard";
import { access } from "@/lib/server/auth/policy";
import { searchParams } from "@/lib/server/http/search-params";

const query = querySchema({ offset: queryInt(0, 10_000_000).default(0), limit: queryInt(1, 1000).default(100) });

/** `GET /api/v1/liquidations/queue` (desk): pending plans in queue order, with next step, cool-down and pause. */
export const GET = guarded(access.desk, async ({ request, services }) => {
  const q = parseInput(query, searchParams(request));
  return Response.json(await services.desk.queue(q.offset, q.limit));
});
