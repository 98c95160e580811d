import { guarded } from "@/lib/server/auth/guard";
import { access } from "@/lib/server/auth/policy";

/** Everything the desk page shows at once (the socket stream continues from its `seq`). Desk only. */
export const GET = guarded(access.desk, async ({ services }) => Response.json(services.desk.snapshot()));
