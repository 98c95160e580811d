import { getLiquidationMap } from "@/lib/server/read-model";
import { withErrors } from "@/lib/server/http/with-errors";

/** `GET /api/v1/markets/:id/liquidation-map`: spec §9 at the live mark. */
export const GET = withErrors(async (_request: Request, context: { params: Promise<{ id: string }> }) => {
  const { id } = await context.params;
  return Response.json(await getLiquidationMap(id));
});
