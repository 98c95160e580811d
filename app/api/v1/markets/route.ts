import { getMarketsSnapshot } from "@/lib/server/read-model";
import { withErrors } from "@/lib/server/http/with-errors";

export const GET = withErrors(async () => Response.json(getMarketsSnapshot()));
