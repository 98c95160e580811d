import "server-only";
import type { UserPrincipal } from "../auth/policy";
import type { WhatIfs } from "../what-ifs";

/**
 * The answer of `POST /api/v1/risk/evaluate` (spec §10) to a request: a scenario in, the figures
 * and plans of every account out, the same contract as `npm run risk -- evaluate`. Invalid input:
 * 400 `invalid_input` naming every bad field; nothing is evaluated. Pure computation on the
 * request body, no live state, done off the main thread within the per-user and server-wide
 * limits of lib/server/what-ifs.ts (429 / 503 with Retry-After). Who may ask is the route's
 * business (signed in).
 */
export function evaluateRisk(whatIfs: WhatIfs, user: UserPrincipal, request: Request): Promise<Response> {
  return whatIfs.evaluate(user, request);
}
