import "server-only";
import { InputError } from "@/lib/contracts/api-error";
import { paramProblems } from "../http/search-params";
import { errorResponse } from "../http/error-response";
import { withErrors } from "../http/with-errors";
import { NotReadyError } from "../errors";
import type { Runtime } from "../runtime";
import { findRuntime } from "../runtime-registry";
import { findAuth } from "./auth-registry";
import { decide, type AccessRule, type Principal } from "./policy";
import { resolvePrincipal } from "./principal";
import { crossSiteReason, isStateChanging } from "./same-origin";
import { allowedOrigins } from "./site-origin";

export interface GuardedRequest<P> {
  request: Request;
  params: P;
  principal: Principal;
  runtime: Runtime;
}

/**
 * A route handler behind the policy: resolves who is asking from the credential the rule takes,
 * answers 401/403 as `decide` says, refuses a state-changing session request from another site
 * (403 `cross_site`, before anything is read or written), refuses a query or path parameter that is
 * not text (400 naming it: a NUL, a lone surrogate), then runs `handler`. Errors answer as
 * `withErrors` does. `accountOf` names the margin account a `deskOrOwner` request is about.
 */
export function guarded<P = Record<string, never>>(
  rule: AccessRule,
  handler: (req: GuardedRequest<P>) => Promise<Response>,
  accountOf?: (request: Request, params: P) => string | undefined,
) {
  return withErrors(async (request: Request, context?: { params: Promise<P> }): Promise<Response> => {
    const runtime = findRuntime();
    if (!runtime) throw new NotReadyError();
    const params = context ? await context.params : ({} as P);
    const principal = await resolvePrincipal({ auth: findAuth(), prisma: runtime.prisma, env: runtime.env }, request.headers, rule.credential);
    const decision = decide(principal, rule, accountOf?.(request, params));
    if (!decision.ok) {
      const challenge = decision.status === 401 && (rule.credential === "ingest" || rule.credential === "scrape")
        ? { "www-authenticate": `Bearer realm="liqdesk-${rule.credential}"` } : undefined;
      return errorResponse({ status: decision.status, code: decision.code, message: decision.message, headers: challenge });
    }
    if (rule.credential === "session" && isStateChanging(request.method)) {
      const reason = crossSiteReason(request.headers, allowedOrigins(runtime.env));
      if (reason) return errorResponse({ status: 403, code: "cross_site", message: `refused: a state-changing request with a session must come from this site (${reason})` });
    }
    const badParams = paramProblems(request, params);
    if (badParams.length > 0) throw new InputError(badParams);
    return handler({ request, params, principal, runtime });
  });
}
