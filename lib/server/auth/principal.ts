import "server-only";
import { createHash, timingSafeEqual } from "node:crypto";
import type { PrismaClient } from "../db/prisma-client";
import type { Env } from "../env";
import { verifyIngestToken } from "../ingest/ingest-tokens";
import { NotReadyError } from "../read-model";
import type { LiqdeskAuth } from "./auth";
import type { Credential, Principal, Role } from "./policy";

const ANONYMOUS: Principal = { kind: "anonymous" };

function bearer(headers: Headers): string | null {
  return /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(headers.get("authorization") ?? "")?.[1] ?? null;
}

function sameSecret(a: string, b: string): boolean {
  const digest = (s: string) => createHash("sha256").update(s, "utf8").digest();
  return timingSafeEqual(digest(a), digest(b));
}

/** The signed-in user behind a request's session cookie, with the accounts they are bound to. */
export async function sessionPrincipal(auth: LiqdeskAuth, prisma: PrismaClient, headers: Headers): Promise<Principal> {
  const session = await auth.api.getSession({ headers });
  if (!session) return ANONYMOUS;
  const role: Role = session.user.role === "desk" ? "desk" : "trader";
  const accountIds = role === "trader"
    ? (await prisma.userAccount.findMany({ where: { userId: session.user.id }, select: { accountId: true }, orderBy: { accountId: "asc" } }))
      .map((a) => a.accountId)
    : [];
  return { kind: "user", userId: session.user.id, email: session.user.email, name: session.user.name, role, accountIds };
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
