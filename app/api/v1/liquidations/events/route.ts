import { z } from "zod";
import { parseInput } from "@/lib/contracts/api-error";
import { getLiquidationEvents } from "@/lib/server/read-model";
import { withErrors } from "@/lib/server/http/with-errors";
import { searchParams } from "@/lib/server/http/search-params";

const query = z.object({ accountId: z.string().min(1).max(128).optional(), limit: z.coerce.number().int().min(1).max(1000).default(100) });

/** `GET /api/v1/liquidations/events`: executed steps, newest first (one account with `accountId`). */
export const GET = withErrors(async (request: Request) => {
  const q = parseInput(query, searchParams(request));
  return Response.json(await getLiquidationEvents(q.accountId, q.limit));
});
