import { getAccountDetail } from "@/lib/server/read-model";
import { withErrors } from "@/lib/server/http/with-errors";

/** `GET /api/v1/accounts/:id`: live figures, positions, plan, margin history, ledger and events. */
export const GET = withErrors(async (_request: Request, context: { params: Promise<{ id: string }> }) => {
  const { id } = await context.params;
  return Response.json(await getAccountDetail(id));
});
