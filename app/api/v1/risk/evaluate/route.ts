import { guarded } from "@/lib/server/auth/guard";
import { access } from "@/lib/server/auth/policy";

/**
 * `POST /api/v1/risk/evaluate` (signed in): spec §10 on the request body — a scenario in, the
 * figures and plans of every account out, the same contract as `npm run risk -- evaluate`; invalid
 * input is a 400 `invalid_input` naming every bad field, nothing evaluated. No live state: computed
 * off the main thread within the per-user and server-wide limits of lib/server/what-ifs.ts (429 /
 * 503 with Retry-After).
 */
export const POST = guarded(access.signedIn, async ({ request, principal, services }) => {
  if (principal.kind !== "user") throw new Error("unreachable: the policy admits only users here");
  return services.whatIfs.evaluate(principal, request);
});
