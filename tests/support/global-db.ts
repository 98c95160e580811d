// Vitest globalSetup of the "integration" project: one PostgreSQL server for the whole run.
// With TEST_DATABASE_URL (a role allowed to CREATE DATABASE, e.g. postgresql://postgres@127.0.0.1:5432/postgres)
// tests use that server; otherwise an embedded PostgreSQL starts in a temp dir on a free port
// and is stopped and deleted at the end. Each test file then gets its own database from
// createTestDatabase() (tests/support/test-database.ts).
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres } from "@/lib/server/db/embedded-postgres";
import { freePort } from "./free-port";

declare module "vitest" {
  export interface ProvidedContext {
    /** Connection string of a role that may create databases (maintenance database). */
    dbAdminUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const external = process.env.TEST_DATABASE_URL;
  if (external) {
    project.provide("dbAdminUrl", external);
    return undefined;
  }
  const started = Date.now();
  const dir = await mkdtemp(path.join(tmpdir(), "liqdesk-test-pg-"));
  await chmod(dir, 0o755); // as root, the server runs as `postgres` and must reach its data dir
  const logLines: string[] = [];
  const db = await startEmbeddedPostgres({
    dataDir: path.join(dir, "data"),
    port: await freePort(),
    database: "postgres",
    unsafeNoFsync: true,
    log: (line) => {
      logLines.push(line);
      if (logLines.length > 200) logLines.shift();
      if (process.env.LIQDESK_TEST_DB_LOG) console.log(`[test-pg] ${line}`);
    },
  }).catch((err: unknown) => {
    console.error(logLines.join("\n"));
    throw err;
  });
  if (process.env.LIQDESK_TEST_DB_LOG) console.log(`[test-pg] ready in ${Date.now() - started} ms`);
  project.provide("dbAdminUrl", db.adminConnectionString);
  return async () => {
    await db.stop();
    await rm(dir, { recursive: true, force: true });
  };
}
