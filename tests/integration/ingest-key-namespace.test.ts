// Issue 15 item 17: a feed's idempotency keys live in a namespace of their own (`ingest:<key>`),
// so no key a feed chooses can pre-empt a trader's top-up (`topup:<userId>:<key>`) or a funding
// payment (`funding:<eventId>:<accountId>`); the migration moves the keys written before.
import { cp, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultMigrationsDir, migrateDatabase } from "@/lib/server/db/migrate";
import { createPrismaClient } from "@/lib/server/db/prisma-client";
import { createEmptyDatabase } from "../support/test-database";
import { startRouteHarness, type RouteHarness } from "../support/route-harness";

describe("ingest idempotency keys cannot collide with the server's own ledger keys", () => {
  let h: RouteHarness;
  beforeAll(async () => {
    h = await startRouteHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  const balance = async (id: string) => (await h.db.prisma.account.findUniqueOrThrow({ where: { id } })).collateral.toFixed();

  it("an ingest key topup:<userId>:k does not pre-empt the trader's top-up with key k", async () => {
    const user = await h.db.prisma.user.findUniqueOrThrow({ where: { email: "trader@h.test" } });
    const feed = await h.call("POST /api/v1/ingest/collateral", { json: { entries: [
      { accountId: h.traderAccount, amount: "25", kind: "deposit", idempotencyKey: `topup:${user.id}:k` },
    ] } });
    expect(feed.status).toBe(200);
    expect((await feed.json()).accepted).toBe(1);
    const before = await balance(h.traderAccount);
    const res = await h.call("POST /api/v1/accounts/[id]/topups", { as: "trader", params: { id: h.traderAccount }, json: { amount: "10", idempotencyKey: "k" } });
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(201);
    expect(body.replayed).toBe(false);
    expect(await balance(h.traderAccount)).toBe(String(Number(before) + 10));
    // And the feed's key still replays as the feed's.
    const again = await h.call("POST /api/v1/ingest/collateral", { json: { entries: [
      { accountId: h.traderAccount, amount: "25", kind: "deposit", idempotencyKey: `topup:${user.id}:k` },
    ] } });
    expect(await again.json()).toMatchObject({ accepted: 0, replayed: 1 });
  });

  it("an ingest key funding:<eventId>:<accountId> does not break the funding event that derives it", async () => {
    const feed = await h.call("POST /api/v1/ingest/collateral", { json: { entries: [
      { accountId: h.traderAccount, amount: "1", kind: "deposit", idempotencyKey: `funding:1:${h.traderAccount}` },
      { accountId: h.traderAccount, amount: "1", kind: "deposit", idempotencyKey: `funding:2:${h.traderAccount}` },
      { accountId: h.traderAccount, amount: "1", kind: "deposit", idempotencyKey: `liquidation:1:fee` },
    ] } });
    expect(feed.status).toBe(200);
    const res = await h.call("POST /api/v1/ingest/funding", { json: { marketId: "BTC-PERP", rate: "0.0001", markPrice: "60000", ts: Date.now() } });
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body).toMatchObject({ applied: true, entries: 1 });
  });
});

describe("migration 20261207060000_ingest_key_namespace", () => {
  it("moves the keys feeds wrote before into ingest:, and leaves the server's own keys", async () => {
    const db = await createEmptyDatabase();
    const dir = await mkdtemp(path.join(tmpdir(), "liqdesk-ns-"));
    const prisma = createPrismaClient(db.url);
    try {
      const names = (await readdir(defaultMigrationsDir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();
      const at = names.indexOf("20261207060000_ingest_key_namespace");
      expect(at).toBeGreaterThan(0);
      for (const name of names.slice(0, at)) await cp(path.join(defaultMigrationsDir, name), path.join(dir, name), { recursive: true });
      await cp(path.join(defaultMigrationsDir, "migration_lock.toml"), path.join(dir, "migration_lock.toml"));
      await migrateDatabase(db.url, { migrationsDir: dir });
      await prisma.$executeRaw`INSERT INTO accounts (id, updated_at) VALUES ('m', now())`;
      await prisma.$executeRaw`
        INSERT INTO collateral_ledger (account_id, kind, amount, balance_after, idempotency_key) VALUES
          ('m', 'deposit', 5, 5, 'feed-1'), ('m', 'withdrawal', -1, 4, 'topup:u1:k'), ('m', 'adjustment', 1, 5, 'x'),
          ('m', 'topup', 2, 7, 'topup:u1:k2'), ('m', 'funding', -1, 6, 'funding:1:m')`;
      await migrateDatabase(db.url);
      const keys = await prisma.$queryRaw<{ kind: string; idempotency_key: string }[]>`
        SELECT kind::text AS kind, idempotency_key FROM collateral_ledger ORDER BY id`;
      expect(keys.map((k) => k.idempotency_key)).toEqual(["ingest:feed-1", "ingest:topup:u1:k", "ingest:x", "topup:u1:k2", "funding:1:m"]);
    } finally {
      await prisma.$disconnect();
      await rm(dir, { recursive: true, force: true });
      await db.drop();
    }
  });
});
