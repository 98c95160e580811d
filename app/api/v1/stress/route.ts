import { runStress } from "@/lib/server/read-model";
import { BODY_LIMITS } from "@/lib/server/http/body-limits";
import { readJson } from "@/lib/server/http/read-body";
import { guarded } from "@/lib/server/auth/guard";
import { access } from "@/lib/server/auth/policy";

/** `POST /api/v1/stress` `{ shocks, maxRounds? }` (desk): spec §8 against the live book, within the what-if limits (lib/server/what-ifs.ts). */
export const POST = guarded(access.desk, async ({ request, principal, runtime }) => {
  if (principal.kind !== "user") throw new Error("unreachable: the policy admits only users here");
  return Response.json(await runtime.whatIfs.stress(principal, async () => runStress(await readJson(request, BODY_LIMITS.stress))));
});
