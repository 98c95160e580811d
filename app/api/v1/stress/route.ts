import { runStress } from "@/lib/server/read-model";
import { readJson, withErrors } from "@/lib/server/http/with-errors";

/** `POST /api/v1/stress` `{ shocks, maxRounds? }`: spec §8 against the live book. */
export const POST = withErrors(async (request: Request) => Response.json(await runStress(await readJson(request))));
