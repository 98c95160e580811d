import "server-only";

import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { DiffTarget, MigrationList, SchemaFilter } from "./schema-engine";
import { openSchemaEngine } from "./schema-engine";

/** `prisma/` of this checkout (schema.prisma, migrations/). */
export const defaultPrismaDir = fileURLToPath(new URL("../../../prisma/", import.meta.url));
export const defaultMigrationsDir = path.join(defaultPrismaDir, "migrations");

const noFilter: SchemaFilter = { externalTables: [], externalEnums: [] };

/** Name of the copy of schema.prisma kept beside each migration.sql (the "from" of the next diff). */
export const MIGRATION_SCHEMA_COPY = "schema.prisma";

/**
 * Reads `migrations/*` (directories holding a migration.sql, sorted by name) and
 * `migration_lock.toml` in the shape the schema engine wants.
 */
export async function readMigrationsList(migrationsDir = defaultMigrationsDir): Promise<MigrationList> {
  const baseDir = path.resolve(migrationsDir);
  const entries = await readdir(baseDir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const migrationDirectories: MigrationList["migrationDirectories"] = [];
  for (const name of names) {
    const sql = await readFile(path.join(baseDir, name, "migration.sql"), "utf8").catch(() => null);
    if (sql === null) continue; // not a migration (e.g. an editor's scratch directory)
    migrationDirectories.push({
      path: name,
      migrationFile: { path: "migration.sql", content: { tag: "ok", value: sql } },
    });
  }
  const lockContent = await readFile(path.join(baseDir, "migration_lock.toml"), "utf8").catch(() => null);
  return {
    baseDir,
    lockfile: { path: "migration_lock.toml", content: lockContent },
    shadowDbInitScript: "",
    migrationDirectories,
  };
}

/**
 * Applies every migration of `prisma/migrations` not yet applied to the database, in name order,
 * through Prisma's WebAssembly schema engine. Keeps Prisma's `_prisma_migrations` table (so the
 * Prisma CLI agrees on the state). A second run applies nothing. Fails, applying nothing, when an
 * applied migration was edited since or a previous run failed half-way.
 */
export async function migrateDatabase(
  connectionString: string,
  opts: { log?: (msg: string) => void; migrationsDir?: string } = {},
): Promise<{ applied: string[] }> {
  const log = opts.log ?? (() => {});
  const migrationsList = await readMigrationsList(opts.migrationsDir);
  if (migrationsList.lockfile.content === null) {
    throw new Error(`${path.join(migrationsList.baseDir, "migration_lock.toml")} is missing`);
  }
  const handle = await openSchemaEngine({ connectionString });
  try {
    const diagnosis = await handle.engine.diagnoseMigrationHistory({
      migrationsList,
      optInToShadowDatabase: false,
      filters: noFilter,
    });
    if (diagnosis.failedMigrationNames.length > 0) {
      throw new Error(
        `migration(s) ${diagnosis.failedMigrationNames.join(", ")} failed earlier in this database; ` +
          "fix the database by hand (see docs/OPERATIONS.md, Database), then mark them rolled back",
      );
    }
    if (diagnosis.editedMigrationNames.length > 0) {
      throw new Error(
        `migration(s) ${diagnosis.editedMigrationNames.join(", ")} were edited after being applied; ` +
          "never edit an applied migration, write a new one (npm run db:migration -- <name>)",
      );
    }
    if (diagnosis.history?.diagnostic === "migrationsDirectoryIsBehind" ||
        diagnosis.history?.diagnostic === "historiesDiverge") {
      const unknown = diagnosis.history.unpersistedMigrationNames;
      throw new Error(
        `the database has migration(s) this checkout does not know: ${unknown.join(", ")} ` +
          "(a newer version of Liqdesk migrated it?)",
      );
    }
    const { appliedMigrationNames } = await handle.engine.applyMigrations({ migrationsList, filters: noFilter });
    for (const name of appliedMigrationNames) log(`applied migration ${name}`);
    if (appliedMigrationNames.length === 0) log("database schema is up to date");
    return { applied: appliedMigrationNames };
  } finally {
    await handle.close();
  }
}

/** A schema file for the engine: `[path, content]`. Only the content matters for a diff. */
function datamodel(schemaText: string, schemaPath = "schema.prisma"): DiffTarget {
  return { tag: "schemaDatamodel", files: [{ path: schemaPath, content: schemaText }] };
}

/**
 * The SQL script that takes a database from `from` to `to`, or null when they are the same.
 * No database needed. `from: null` means an empty database.
 */
export async function diffSchemas(from: string | null, to: string): Promise<string | null> {
  const handle = await openSchemaEngine({});
  try {
    const result = await handle.engine.diff({
      from: from === null ? { tag: "empty" } : datamodel(from),
      to: datamodel(to),
      script: true,
      exitCode: true,
      filters: noFilter,
    });
    // With exitCode: true the engine answers 2 when there is a difference, 0 when there is none.
    if (result.exitCode === 0) return null;
    return result.stdout ?? "";
  } finally {
    await handle.close();
  }
}

/** The SQL script creating `schemaText` in an empty database (what a fresh database should hold). */
export async function diffSchemaFromEmpty(schemaText: string): Promise<string> {
  return (await diffSchemas(null, schemaText)) ?? "";
}

/**
 * The SQL script that would take the live database to `schemaText`, or null when the database
 * already matches it (the drift check: after migrating, it must be null).
 */
export async function diffDatabaseToSchema(connectionString: string, schemaText: string): Promise<string | null> {
  const handle = await openSchemaEngine({ connectionString });
  try {
    const result = await handle.engine.diff({
      // "schemaDatasource" = the database this engine is connected to (its adapter); the "url"
      // target is refused by the WebAssembly engine.
      from: { tag: "schemaDatasource", files: [{ path: "schema.prisma", content: schemaText }], configDir: "." },
      to: datamodel(schemaText),
      script: true,
      exitCode: true,
      filters: noFilter,
    });
    if (result.exitCode === 0) return null;
    return result.stdout ?? "";
  } finally {
    await handle.close();
  }
}
