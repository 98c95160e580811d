import "server-only";
import type { PrismaClient } from "../db/prisma-client";
import { ENGINE_LOCK_KEY } from "./engine-lock";

/** How long a follower trusts the leader address it read. */
const CACHE_MS = 1000;

/** Written by the instance that has just taken the engine lock: where the others reach it. */
export async function recordLeader(prisma: PrismaClient, url: string, backendPid: number): Promise<void> {
  const lockKey = BigInt(ENGINE_LOCK_KEY);
  await prisma.engineLeader.upsert({
    where: { lockKey },
    create: { lockKey, url, backendPid },
    update: { url, backendPid, since: new Date() },
  });
}

/**
 * The current leader's address, or null when no instance holds the engine lock. The row counts
 * only while the session it names still holds the lock, so a dead leader's row is never used.
 */
export async function currentLeader(prisma: PrismaClient): Promise<string | null> {
  const rows = await prisma.$queryRaw<{ url: string }[]>`
    SELECT l.url FROM engine_leader l
      JOIN pg_locks k ON k.locktype = 'advisory' AND k.granted AND k.pid = l.backend_pid
       AND k.database = (SELECT oid FROM pg_database WHERE datname = current_database())
       AND k.classid = 0 AND k.objid::text::bigint = l.lock_key AND k.objsubid = 1
     WHERE l.lock_key = ${BigInt(ENGINE_LOCK_KEY)}`;
  return rows[0]?.url ?? null;
}

/** A follower's view of who leads: read at most once a second, forgotten when a call to it fails. */
export class LeaderLocator {
  private cached: { url: string | null; at: number } | null = null;
  private pending: Promise<string | null> | null = null;

  constructor(private readonly prisma: PrismaClient) {}

  async current(): Promise<string | null> {
    if (this.cached && Date.now() - this.cached.at < CACHE_MS) return this.cached.url;
    this.pending ??= currentLeader(this.prisma).then(
      (url) => {
        this.cached = { url, at: Date.now() };
        return url;
      },
      () => null,
    ).finally(() => (this.pending = null));
    return this.pending;
  }

  forget(): void {
    this.cached = null;
  }
}
