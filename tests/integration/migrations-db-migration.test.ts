import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { defaultPrismaDir, diffDatabaseToSchema, migrateDatabase } from "@/lib/server/db/migrate";
import { writeMigration } from "@/lib/server/db/write-migration";
import { createEmptyDatabase } from "../support/test-database";

const ROOT = path.resolve(import.meta.dirname, "../..");
const run = promisify(execFile);

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** A copy of prisma/ (schema.prisma + migrations/) in a temp dir. */
let prismaDir: string;
beforeEach(async () => {
  const dir = await mkdtemp(path.join(tmpdir(), "liqdesk-prisma-"));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  prismaDir = path.join(dir, "prisma");
  await mkdir(prismaDir);
  await cp(path.join(defaultPrismaDir, "schema.prisma"), path.join(prismaDir, "schema.prisma"));
  await cp(path.join(defaultPrismaDir, "migrations"), path.join(prismaDir, "migrations"), { recursive: true });
});

const listMigrations = async () =>
  (await readdir(path.join(prismaDir, "migrations"), { withFileTypes: true }))
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();

describe("npm run db:migration", () => {
  it("prints no changes and writes nothing when schema.prisma matches the last migration", async () => {
    const before = await listMigrations();
    const { stdout } = await run(
      process.execPath,
      ["--import", "tsx", "--import", "./scripts/server-only-hook.mjs", "scripts/db-migration.ts", "nothing_new", "--prisma-dir", prismaDir],
      { cwd: ROOT, timeout: 60_000 },
    );
    expect(stdout).toMatch(/no changes/);
    expect(await listMigrations()).toEqual(before);
  });

  it("writes a migration (SQL and schema copy) when the schema changes, and the result migrates without drift", async () => {
    const before = await listMigrations();
    const schemaPath = path.join(prismaDir, "schema.prisma");
    const changed = (await readFile(schemaPath, "utf8")).replace(
      "  baseAsset          String   @map(\"base_asset\")\n",
      "  baseAsset          String   @map(\"base_asset\")\n  displayName        String?  @map(\"display_name\")\n",
    );
    expect(changed).toContain("display_name");
    await writeFile(schemaPath, changed);

    const written = await writeMigration({ name: "Add market display name", prismaDir });
    expect(written).not.toBeNull();
    expect(written!.name).toMatch(/^\d{14}_add_market_display_name$/);
    const after = await listMigrations();
    expect(after).toEqual([...before, written!.name]);
    expect(written!.name > before.at(-1)!).toBe(true);
    const sql = await readFile(path.join(prismaDir, "migrations", written!.name, "migration.sql"), "utf8");
    expect(sql).toMatch(/ALTER TABLE "markets" ADD COLUMN\s+"display_name" TEXT;/);
    expect(await readFile(path.join(prismaDir, "migrations", written!.name, "schema.prisma"), "utf8")).toBe(changed);

    // Nothing more to write now.
    expect(await writeMigration({ name: "again", prismaDir })).toBeNull();

    // All migrations, old and new, give exactly the changed schema.
    const db = await createEmptyDatabase();
    cleanups.push(db.drop);
    const { applied } = await migrateDatabase(db.url, { migrationsDir: path.join(prismaDir, "migrations") });
    expect(applied).toEqual(after);
    expect(await diffDatabaseToSchema(db.url, changed)).toBeNull();
  });

  it("writes the first migration of an empty migrations directory, with its lock file", async () => {
    await rm(path.join(prismaDir, "migrations"), { recursive: true });
    const written = await writeMigration({ name: "init", prismaDir, now: new Date("2030-01-02T03:04:05Z") });
    expect(written?.name).toBe("20300102030405_init");
    expect(written!.sql).toMatch(/CREATE TABLE "accounts"/);
    expect(written!.sql).not.toMatch(/CREATE SCHEMA/);
    expect(await readFile(path.join(prismaDir, "migrations", "migration_lock.toml"), "utf8")).toMatch(/provider = "postgresql"/);
  });
});
