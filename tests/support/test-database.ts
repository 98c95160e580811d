// A fresh database per test file, on the server global-db.ts provides.
//
//   let db: TestDatabase;
//   beforeAll(async () => { db = await createTestDatabase(); });
//   afterAll(() => db.drop());
//   ... db.prisma.account.create(...), or db.url for code that takes a connection string
import { randomBytes } from "node:crypto";
import { inject } from "vitest";
import pg from "pg";
import { migrateDatabase } from "@/lib/server/db/migrate";
import { createPrismaClient, type PrismaClient } from "@/lib/server/db/prisma-client";

export interface TestDatabase {
  /** Connection string of this database. */
  url: string;
  /** A client on it (disconnected by drop()). */
  prisma: PrismaClient;
  /** Disconnects and drops the database. */
  drop(): Promise<void>;
}

/** The test server's maintenance connection string (from the integration globalSetup). */
export function testServerAdminUrl(): string {
  return inject("dbAdminUrl");
}

/** `adminUrl` with its database name replaced by `database`. */
export function databaseUrl(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

/** Creates an empty, uniquely named database; returns its name and connection string. */
export async function createEmptyDatabase(prefix = "liqdesk_test"): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const adminUrl = testServerAdminUrl();
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString("hex")}`;
  await adminQuery(adminUrl, `CREATE DATABASE "${name}"`);
  return {
    name,
    url: databaseUrl(adminUrl, name),
    drop: () => adminQuery(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

/** A fresh database holding the current schema (all migrations applied), and a client on it. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const empty = await createEmptyDatabase();
  try {
    await migrateDatabase(empty.url);
  } catch (err) {
    await empty.drop();
    throw err;
  }
  const prisma = createPrismaClient(empty.url, { maxConnections: 5 });
  let dropped = false;
  return {
    url: empty.url,
    prisma,
    async drop() {
      if (dropped) return;
      dropped = true;
      await prisma.$disconnect();
      await empty.drop();
    },
  };
}

async function adminQuery(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
