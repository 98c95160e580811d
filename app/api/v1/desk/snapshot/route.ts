import { getDeskSnapshot } from "@/lib/server/read-model";
import { withErrors } from "@/lib/server/http/with-errors";

/** Everything the desk page shows at once (the socket stream continues from its `seq`). */
export const GET = withErrors(async () => Response.json(await getDeskSnapshot()));
