import "server-only";
import { createHash, timingSafeEqual } from "node:crypto";
import type { PrismaClient } from "../db/prisma-client";
import type { Env } from "../env";
import { verifyIngestToken } from "../ingest/ingest-tokens";
import { NotReadyError } from "../errors";
import type { LiqdeskAuth } from "./auth";
import type { Credential, Principal, Role, UserPrincipal } from "./policy";

const ANONYMOUS: Principal = { kind: "anonymous" };

function bearer(headers: Headers): string | null {
  return /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(headers.get("authorization") ?? "")?.[1] ?? null;
}

function sameSecret(a: string, b: string): boolean {
  const digest = (s: string) => createHash("sha256").update(s, "utf8").digest();
  return timingSafeEqual(digest(a), digest(b));
}

/** A signed-in session: who it is, and which session row (sockets re-check it: socket-sessions.ts). */
export interface SignedInSession {
  principal: UserPrincipal;
  sessionId: string;
}

/** The principal of a user with this role and these bound accounts (a trader's; the desk has none). */
export function userPrincipal(user: { id: string; email: string; name: string; role?: string | null }, accountIds: readonly string[]): UserPrincipal {
  const role: Role = user.role === "desk" ? "desk" : "trader";
  return { kind: "user", userId: user.id, email: user.email, name: user.name, role, accountIds: role === "trader" ? accountIds : [] };
}

/** The session behind a request's session cookie, with its user's bound accounts, or null. */
export async function signedInSession(auth: LiqdeskAuth, prisma: PrismaClient, headers: Headers): Promise<SignedInSession | null> {
  const session = await auth.api.getSession({ headers });
  if (!session) return null;
  const accountIds = session.user.role === "desk" ? []
    : (await prisma.userAccount.findMany({ where: { userId: session.user.id }, select: { accountId: true }, orderBy: { accountId: "asc" } }))
      .map((a) => a.accountId);
  return { principal: userPrincipal(session.user, accountIds), sessionId: session.session.id };
}

/** The signed-in user behind a request's session cookie, with the accounts they are bound to. */
export async function sessionPrincipal(auth: LiqdeskAuth, prisma: PrismaClient, headers: Headers): Promise<Principal> {
  return (await signedInSession(auth, prisma, headers))?.principal ?? ANONYMOUS;
}

/**
 * Who is asking, looking only at the credential the endpoint takes: a session cookie, an ingest
 * token or the scrape token (never another kind: a session cookie sent to the ingest API is as
 * good as nothing). Anonymous when that credential is missing or not valid.
 */
export async function resolvePrincipal(
  deps: { auth: LiqdeskAuth | undefined; prisma: PrismaClient; env: Env },
  headers: Headers,
  credential: Credential,
): Promise<Principal> {
  switch (credential) {
    case "none":
      return ANONYMOUS;
    case "session":
      if (!deps.auth) throw new NotReadyError();
      return sessionPrincipal(deps.auth, deps.prisma, headers);
    case "ingest": {
      const identity = await verifyIngestToken(deps.prisma, headers.get("authorization"));
      return identity ? { kind: "ingest", tokenName: identity.name } : ANONYMOUS;
    }
    case "scrape": {
      const token = bearer(headers);
      const expected = deps.env.LIQDESK_METRICS_TOKEN;
      return token && expected && sameSecret(token, expected) ? { kind: "scrape" } : ANONYMOUS;
    }
  }
}
