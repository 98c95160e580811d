import { runStress } from "@/lib/server/read-model";
import { readJson } from "@/lib/server/http/read-body";
import { guarded } from "@/lib/server/auth/guard";
import { access } from "@/lib/server/auth/policy";

/** `POST /api/v1/stress` `{ shocks, maxRounds? }` (desk): spec §8 against the live book. */
export const POST = guarded(access.desk, async ({ request }) => Response.json(await runStress(await readJson(request))));
