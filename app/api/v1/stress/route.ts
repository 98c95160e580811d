import { BODY_LIMITS } from "@/lib/server/http/body-limits";
import { readJson } from "@/lib/server/http/read-body";
import { guarded } from "@/lib/server/auth/guard";
import { access } from "@/lib/server/auth/policy";

/** `POST /api/v1/stress` `{ shocks, maxRounds? }` (desk): spec §8 against the live book, within the what-if limits (lib/server/what-ifs.ts). */
export const POST = guarded(access.desk, async ({ request, principal, services }) => {
  if (principal.kind !== "user") throw new Error("unreachable: the policy admits only users here");
  return Response.json(await services.whatIfs.stress(principal, async () => services.desk.stress(await readJson(request, BODY_LIMITS.stress))));
});
