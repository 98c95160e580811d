import "server-only";
import path from "node:path";
import type { Env } from "./env";
import type { Logger } from "./logger";
import { migrateDatabase } from "./db/migrate";
import { createPrismaClient, type PrismaClient } from "./db/prisma-client";

export interface Database {
  url: string;
  prisma: PrismaClient;
  embedded: boolean;
  close(): Promise<void>;
}

/**
 * The database as DESIGN.md sets it up: DATABASE_URL when given (nothing is started), otherwise
 * an embedded PostgreSQL under LIQDESK_DATA_DIR/postgres that outlives restarts. Either way the
 * checked-in migrations are applied before anything else touches it.
 */
export async function openDatabase(env: Env, log: Logger): Promise<Database> {
  let url = env.DATABASE_URL;
  let stopEmbedded: (() => Promise<void>) | null = null;
  if (!url) {
    const { startEmbeddedPostgres } = await import("./db/embedded-postgres");
    log.info("starting embedded PostgreSQL");
    const pg = await startEmbeddedPostgres({
      dataDir: path.resolve(env.LIQDESK_DATA_DIR, "postgres"),
      port: env.LIQDESK_PG_PORT,
      database: "liqdesk",
      log: (line) => log.debug({ pg: line }),
      notice: (line) => log.info(line),
    });
    log.info({ dataDir: pg.dataDir, port: pg.port }, "embedded PostgreSQL started");
    url = pg.connectionString;
    stopEmbedded = pg.stop;
  }
  try {
    const { applied } = await migrateDatabase(url, { log: (msg) => log.info(msg) });
    log.info({ applied: applied.length }, applied.length ? "migrations applied" : "schema up to date");
  } catch (error) {
    await stopEmbedded?.();
    throw error;
  }
  const prisma = createPrismaClient(url);
  return {
    url,
    prisma,
    embedded: stopEmbedded !== null,
    async close() {
      await prisma.$disconnect();
      await stopEmbedded?.();
    },
  };
}
