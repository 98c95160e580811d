import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EngineLock, FENCE_AFTER_MS } from "@/lib/server/cluster/engine-lock";
import { currentLeader, recordLeader } from "@/lib/server/cluster/engine-leader";
import { createLogger } from "@/lib/server/logger";
import { createTestDatabase, type TestDatabase } from "../support/test-database";

const log = createLogger("silent");

/** A TCP relay to PostgreSQL that can stop relaying (a network split that closes nothing). */
async function splittableRelay(target: URL): Promise<{ url: string; split(): void; close(): Promise<void> }> {
  const sockets: net.Socket[] = [];
  let splitNow = false;
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    sockets.push(client, upstream);
    for (const [from, to] of [[client, upstream], [upstream, client]] as const) {
      from.on("data", (chunk) => {
        if (!splitNow) to.write(chunk);
      });
      from.on("error", () => to.destroy());
      from.on("close", () => to.destroy());
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const url = new URL(target);
  url.hostname = "127.0.0.1";
  url.port = String((server.address() as net.AddressInfo).port);
  return {
    url: url.toString(),
    split: () => (splitNow = true),
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}

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
    await next.release();
  });

  it("fencing: a lock session that stops answering (network split) is given up within FENCE_AFTER_MS + 1 s", async () => {
    const relay = await splittableRelay(new URL(db.url));
    try {
      const reasons: string[] = [];
      const holder = new EngineLock(relay.url, log, (reason) => reasons.push(reason));
      locks.push(holder);
      await holder.acquire();
      await new Promise((r) => setTimeout(r, 1500));
      expect(reasons).toEqual([]); // answered checks keep it
      const splitAt = performance.now();
      relay.split();
      await expect.poll(() => reasons.length, { timeout: FENCE_AFTER_MS + 3000, interval: 20 }).toBe(1);
      expect(performance.now() - splitAt).toBeLessThan(FENCE_AFTER_MS + 1000 + 200);
      expect(reasons[0]).toMatch(/did not answer/);
      expect(holder.holds()).toBe(false);
    } finally {
      await relay.close();
    }
  });
});
