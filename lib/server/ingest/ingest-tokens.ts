import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { InputError } from "@/lib/contracts/api-error";
import type { PrismaClient } from "@/lib/server/db/prisma-client";
import { transactionLock } from "@/lib/server/db/transaction-lock";

/** Every ingest token starts with this, so that a leaked one is recognisable (secret scanners). */
export const TOKEN_PREFIX = "lqd_";
const TOKEN_PATTERN = /^lqd_[A-Za-z0-9_-]{43}$/;
const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * How long a verification result is reused without asking PostgreSQL. A token revoked by another
 * process (the `token` CLI) stops working within this time; `revokeIngestToken` in this process
 * clears the cache at once.
 */
export const VERIFY_CACHE_MS = 5_000;
const CACHE_MAX_ENTRIES = 10_000;

export interface IngestTokenIdentity {
  id: number;
  name: string;
}

export interface IngestTokenInfo extends IngestTokenIdentity {
  createdAt: Date;
  revokedAt: Date | null;
}

function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

const caches = new WeakMap<PrismaClient, Map<string, { identity: IngestTokenIdentity | null; until: number }>>();
function cacheOf(prisma: PrismaClient) {
  let cache = caches.get(prisma);
  if (!cache) {
    cache = new Map();
    caches.set(prisma, cache);
  }
  return cache;
}

/**
 * A new ingest token named `name` (letters, digits, `.`, `_`, `-`; unique among tokens not
 * revoked): returns the plaintext once (`lqd_` + 32 random bytes in base64url); only its SHA-256
 * is stored. Recorded in the audit log.
 */
export async function createIngestToken(
  prisma: PrismaClient,
  name: string,
  actor = "cli",
): Promise<IngestTokenIdentity & { token: string }> {
  if (!NAME_PATTERN.test(name)) {
    throw new InputError([{ path: "name", message: "must be 1–64 letters, digits, '.', '_' or '-', starting with a letter or digit" }]);
  }
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
  const created = await prisma.$transaction(async (tx) => {
    await transactionLock(tx, "liqdesk.ingest_tokens");
    const active = await tx.ingestToken.findFirst({ where: { name, revokedAt: null } });
    if (active) throw new InputError([{ path: "name", message: `an active token named "${name}" exists (revoke it first, or choose another name)` }]);
    const row = await tx.ingestToken.create({ data: { name, tokenHash: hashToken(token) } });
    await tx.auditLog.create({ data: { actor, action: "ingest_token.create", details: { id: row.id, name } } });
    return row;
  });
  return { id: created.id, name: created.name, token };
}

/** Every token, newest first (never the secret: it is not stored). */
export async function listIngestTokens(prisma: PrismaClient): Promise<IngestTokenInfo[]> {
  const rows = await prisma.ingestToken.findMany({ orderBy: { id: "desc" } });
  return rows.map((r) => ({ id: r.id, name: r.name, createdAt: r.createdAt, revokedAt: r.revokedAt }));
}

/** Revokes the active token(s) named `name`; returns how many. Audited. */
export async function revokeIngestToken(prisma: PrismaClient, name: string, actor = "cli"): Promise<number> {
  const count = await prisma.$transaction(async (tx) => {
    const { count } = await tx.ingestToken.updateMany({ where: { name, revokedAt: null }, data: { revokedAt: new Date() } });
    if (count > 0) await tx.auditLog.create({ data: { actor, action: "ingest_token.revoke", details: { name, count } } });
    return count;
  });
  caches.get(prisma)?.clear();
  return count;
}

/**
 * The identity behind an `Authorization: Bearer lqd_…` header, or null when the header is missing,
 * malformed, or names no active token. Results are cached per client for VERIFY_CACHE_MS.
 */
export async function verifyIngestToken(
  prisma: PrismaClient,
  authorization: string | null | undefined,
): Promise<IngestTokenIdentity | null> {
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization ?? "");
  const token = match?.[1];
  if (!token || !TOKEN_PATTERN.test(token)) return null;
  const hash = hashToken(token);
  const cache = cacheOf(prisma);
  const now = Date.now();
  const hit = cache.get(hash);
  if (hit && hit.until > now) return hit.identity;
  const row = await prisma.ingestToken.findUnique({ where: { tokenHash: hash }, select: { id: true, name: true, revokedAt: true } });
  const identity = row && row.revokedAt === null ? { id: row.id, name: row.name } : null;
  if (cache.size >= CACHE_MAX_ENTRIES) cache.clear();
  cache.set(hash, { identity, until: now + VERIFY_CACHE_MS });
  return identity;
}
