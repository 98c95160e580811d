import { guarded } from "@/lib/server/auth/guard";
import { access } from "@/lib/server/auth/policy";

/** `GET /api/v1/markets/:id/liquidation-map` (signed in): spec §9 at the live mark. */
export const GET = guarded<{ id: string }>(access.signedIn, async ({ params, services }) => Response.json(await services.desk.liquidationMap(params.id)));
