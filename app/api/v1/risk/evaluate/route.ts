import { evaluateRisk } from "@/lib/server/http/evaluate-risk";
import { guarded } from "@/lib/server/auth/guard";
import { access } from "@/lib/server/auth/policy";

/** `POST /api/v1/risk/evaluate` (signed in): spec §10 on the request body, off the main thread (lib/server/http/evaluate-risk.ts). */
export const POST = guarded(access.signedIn, async ({ request, principal, services }) => {
  if (principal.kind !== "user") throw new Error("unreachable: the policy admits only users here");
  return evaluateRisk(services.whatIfs, principal, request);
});
