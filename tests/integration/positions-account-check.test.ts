import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDatabase } from "@/lib/server/seed";
import { createTestDatabase, type TestDatabase } from "../support/test-database";

/**
 * Migration 20261204181452_positions_account_check: every position names an account, checked once
 * per INSERT statement by a trigger instead of a foreign key, and what that check relies on (a
 * position's account never changes; accounts are never deleted, truncated or renamed).
 */
describe("every position names an account", () => {
  let db: TestDatabase;
  let client: pg.Client;
  beforeAll(async () => {
    db = await createTestDatabase();
    await seedDatabase(db.prisma);
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
    await client.query("INSERT INTO accounts (id) VALUES ('a1'), ('a2')");
  });
  afterAll(async () => {
    await client?.end();
    await db?.drop();
  });

  const insert = (...accounts: string[]) =>
    client.query(
      `INSERT INTO positions (account_id, market_id, qty, entry_price, source, last_seq)
       SELECT a, 'BTC-PERP', 1, 60000, 'test', 1 FROM unnest($1::text[]) a`,
      [accounts],
    );
  const failure = (promise: Promise<unknown>) => promise.then(() => null, (e: pg.DatabaseError) => ({ code: e.code, message: e.message }));
  const count = async () => Number((await client.query("SELECT count(*) FROM positions")).rows[0].count);

  it("an INSERT whose positions all name accounts goes through", async () => {
    await insert("a1", "a2");
    expect(await count()).toBe(2);
  });

  it("an INSERT with one position of an unknown account fails whole, naming the account", async () => {
    await client.query("DELETE FROM positions");
    expect(await failure(insert("a1", "nobody", "a2"))).toEqual({
      code: "23503",
      message: 'insert on table "positions" violates "positions_account_exists": account "nobody" does not exist',
    });
    expect(await count()).toBe(0);
  });

  it("an account inserted earlier in the same statement counts (as position ingest does it)", async () => {
    await client.query(`
      WITH acc AS (INSERT INTO accounts (id) VALUES ('a3') RETURNING id)
      INSERT INTO positions (account_id, market_id, qty, entry_price, source, last_seq)
      SELECT 'a3', 'ETH-PERP', 1, 3000, 'test', 1`);
    expect(await count()).toBe(1);
  });

  it("a position's account never changes", async () => {
    expect(await failure(client.query("UPDATE positions SET account_id = 'a1' WHERE account_id = 'a3'"))).toEqual({
      code: "23000", message: "a position's account_id never changes (a3 → a1)",
    });
    await client.query("UPDATE positions SET qty = 2 WHERE account_id = 'a3'"); // other columns change freely
  });

  it("accounts are never deleted, truncated or renamed", async () => {
    for (const sql of ["DELETE FROM accounts WHERE id = 'a2'", "TRUNCATE accounts CASCADE", "UPDATE accounts SET id = 'a9' WHERE id = 'a2'"]) {
      const error = await failure(client.query(sql));
      expect(error?.code, sql).toBe("23000");
      expect(error?.message, sql).toMatch(/^accounts are never deleted, truncated or renamed \((DELETE|TRUNCATE|UPDATE) on accounts\)$/);
    }
    expect(Number((await client.query("SELECT count(*) FROM accounts")).rows[0].count)).toBe(3);
    await client.query("UPDATE accounts SET label = 'desk test' WHERE id = 'a2'");
  });
});
