import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EngineLock } from "@/lib/server/cluster/engine-lock";
import { currentLeader, recordLeader } from "@/lib/server/cluster/engine-leader";
import { createLogger } from "@/lib/server/logger";
import { createTestDatabase, type TestDatabase } from "../support/test-database";

const log = createLogger("silent");

describe("the engine lock", () => {
  let db: TestDatabase;
  const locks: EngineLock[] = [];
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    for (const l of locks) await l.release();
    await db?.drop();
  });

  const lock = (onLost: (reason: string) => void = () => undefined) => {
    const l = new EngineLock(db.url, log, onLost);
    locks.push(l);
    return l;
  };

  it("one holder at a time; the leader row counts only while its session holds the lock; a release hands over within ~1 s", async () => {
    const first = lock();
    const firstPid = await first.acquire();
    expect(firstPid).toEqual(expect.any(Number));
    expect(await currentLeader(db.prisma)).toBeNull(); // no row yet
    await recordLeader(db.prisma, "http://a.internal:3000", firstPid!);
    expect(await currentLeader(db.prisma)).toBe("http://a.internal:3000");

    const second = lock();
    let secondPid: number | null | undefined;
    const waiting = second.acquire().then((pid) => (secondPid = pid));
    await new Promise((r) => setTimeout(r, 2500));
    expect(secondPid).toBeUndefined(); // still a standby after two attempts
    expect(second.holds()).toBe(false);

    const releasedAt = performance.now();
    await first.release();
    expect(await currentLeader(db.prisma)).toBeNull(); // the row names a session that no longer holds it
    await waiting;
    expect(performance.now() - releasedAt).toBeLessThan(2000);
    expect(secondPid).toEqual(expect.any(Number));
    expect(second.holds()).toBe(true);
    await recordLeader(db.prisma, "http://b.internal:3000", secondPid!);
    expect(await currentLeader(db.prisma)).toBe("http://b.internal:3000");
    await second.release();
  });

  it("fencing: the holder hears at once when its lock session is ended from outside", async () => {
    const reasons: string[] = [];
    const holder = lock((reason) => reasons.push(reason));
    const pid = await holder.acquire();
    const killedAt = performance.now();
    await db.prisma.$queryRawUnsafe(`SELECT pg_terminate_backend(${Number(pid)})`);
    await expect.poll(() => reasons.length, { timeout: 5000, interval: 20 }).toBe(1);
    expect(performance.now() - killedAt).toBeLessThan(1500);
    expect(holder.holds()).toBe(false);
    // ...and the lock is free for another instance.
    const next = lock();
    await expect(next.acquire()).resolves.toEqual(expect.any(Number));
    expect(reasons).toHaveLength(1);
  });
});
