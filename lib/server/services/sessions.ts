import "server-only";
import type { PrismaClient } from "../db/prisma-client";
import type { Env } from "../env";
import { oidcEnabled } from "../auth/auth";
import { findAuth } from "../auth/auth-registry";
import type { Credential, Principal, UserPrincipal } from "../auth/policy";
import { resolvePrincipal, sessionPrincipal } from "../auth/principal";
import { allowedOrigins } from "../auth/site-origin";
import { NotReadyError } from "../errors";

/** Who is asking, by the credential an endpoint takes, and which sites may send state-changing requests. */
export class SessionsService {
  constructor(private readonly prisma: PrismaClient, private readonly env: Env) {}

  /** The principal behind `headers` for the credential `credential` (lib/server/auth/principal.ts). */
  principal(headers: Headers, credential: Credential): Promise<Principal> {
    return resolvePrincipal({ auth: findAuth(), prisma: this.prisma, env: this.env }, headers, credential);
  }

  /** The signed-in user behind a page request's session cookie, or null. */
  async user(headers: Headers): Promise<UserPrincipal | null> {
    const auth = findAuth();
    if (!auth) throw new NotReadyError();
    const principal = await sessionPrincipal(auth, this.prisma, headers);
    return principal.kind === "user" ? principal : null;
  }

  /** The origins this site's pages are served from (the CSRF check's allow-list). */
  allowedOrigins(): string[] {
    return allowedOrigins(this.env);
  }

  /** The OpenID Connect provider's name for the sign-in button, or null when none is configured. */
  oidcName(): string | null {
    return oidcEnabled(this.env) ? this.env.LIQDESK_OIDC_NAME : null;
  }
}
