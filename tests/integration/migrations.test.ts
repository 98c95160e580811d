import { cp, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { defaultMigrationsDir, defaultPrismaDir, diffDatabaseToSchema, migrateDatabase } from "@/lib/server/db/migrate";
import { createEmptyDatabase } from "../support/test-database";

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function emptyDatabase() {
  const db = await createEmptyDatabase();
  cleanups.push(db.drop);
  return db;
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

const schemaText = () => readFile(path.join(defaultPrismaDir, "schema.prisma"), "utf8");

describe("migrations", () => {
  it("apply to an empty database in name order, and a second run applies nothing", async () => {
    const db = await emptyDatabase();
    const dirs = (await readdir(defaultMigrationsDir, { withFileTypes: true }))
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
    expect(dirs.length).toBeGreaterThan(0);

    const logged: string[] = [];
    const first = await migrateDatabase(db.url, { log: (m) => logged.push(m) });
    expect(first.applied).toEqual(dirs);
    expect(logged).toContain(`applied migration ${dirs[0]}`);

    const tables = (await query<{ table_name: string }>(db.url,
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1")).map((r) => r.table_name);
    expect(tables).toEqual(expect.arrayContaining([
      "_prisma_migrations", "accounts", "audit_log", "collateral_ledger", "funding_events", "ingest_cursors",
      "ingest_tokens", "insurance_fund_ledger", "latest_prices", "liquidation_events", "margin_snapshots",
      "markets", "positions", "price_ticks_1s", "user_accounts", "users",
    ]));

    const second = await migrateDatabase(db.url);
    expect(second.applied).toEqual([]);
    const recorded = await query<{ migration_name: string }>(db.url,
      "SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY 1");
    expect(recorded.map((r) => r.migration_name)).toEqual(dirs);
  });

  it("produce exactly the schema of schema.prisma (no drift: a schema change without its migration fails here)", async () => {
    const db = await emptyDatabase();
    await migrateDatabase(db.url);
    const drift = await diffDatabaseToSchema(db.url, await schemaText());
    // If this fails, schema.prisma changed without a migration: npm run db:migration -- <name>
    expect(drift).toBeNull();
  });

  it("the drift check does see a database that lacks part of the schema", async () => {
    const db = await emptyDatabase();
    await migrateDatabase(db.url);
    await query(db.url, 'ALTER TABLE "accounts" DROP COLUMN "label"; DROP INDEX "audit_log_created_at_idx"');
    const drift = await diffDatabaseToSchema(db.url, await schemaText());
    expect(drift).toMatch(/ALTER TABLE "accounts" ADD COLUMN\s+"label"/);
    expect(drift).toMatch(/CREATE INDEX "audit_log_created_at_idx"/);
  });

  it("refuse, applying nothing, when an applied migration was edited since", async () => {
    const db = await emptyDatabase();
    const dir = await mkdtemp(path.join(tmpdir(), "liqdesk-migrations-"));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    await cp(defaultMigrationsDir, dir, { recursive: true });
    await migrateDatabase(db.url, { migrationsDir: dir });

    const first = (await readdir(dir, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name).sort()[0]!;
    const file = path.join(dir, first, "migration.sql");
    await writeFile(file, `${await readFile(file, "utf8")}\n-- edited\nCREATE TABLE "sneaky" ("id" INT);\n`);
    await expect(migrateDatabase(db.url, { migrationsDir: dir })).rejects.toThrow(/edited after being applied/);
    const sneaky = await query(db.url, "SELECT 1 FROM information_schema.tables WHERE table_name = 'sneaky'");
    expect(sneaky).toHaveLength(0);
  });
});
