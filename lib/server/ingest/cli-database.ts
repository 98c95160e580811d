import "server-only";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { openDatabase } from "@/lib/server/database";
import { createPrismaClient, type PrismaClient } from "@/lib/server/db/prisma-client";
import type { Env } from "@/lib/server/env";
import { createLogger } from "@/lib/server/logger";

export interface CliDatabase {
  prisma: PrismaClient;
  /** Where it is, for messages (password redacted). */
  where: string;
  close(): Promise<void>;
}

// The embedded cluster's fixed local credentials (lib/server/db/embedded-postgres.ts, docs/OPERATIONS.md).
const EMBEDDED_USER = "postgres";
const EMBEDDED_PASSWORD = "liqdesk";
const EMBEDDED_DATABASE = "liqdesk";

/**
 * The database for an operator CLI (`token`, `record`), found as the server finds it:
 *
 * - `url` (a `--url` flag) or `DATABASE_URL`: that database (not migrated here: run
 *   `npm run migrate` first if it is new);
 * - otherwise the embedded cluster under `LIQDESK_DATA_DIR/postgres`. When a PostgreSQL server is
 *   running on it (a Liqdesk server is up, which owns it), connect to that server on the port
 *   its `postmaster.pid` names; the running server is not disturbed. When none is running, start
 *   the cluster for the duration of the command (as the server would, migrations included) and
 *   stop it at the end; a Liqdesk started meanwhile waits for nothing but would fail with "in use"
 *   during those one or two seconds.
 */
export async function openCliDatabase(env: Env, url?: string): Promise<CliDatabase> {
  const external = url ?? env.DATABASE_URL;
  if (external) {
    const prisma = createPrismaClient(external, { maxConnections: 2 });
    return { prisma, where: redact(external), close: () => prisma.$disconnect() };
  }
  const dataDir = path.resolve(env.LIQDESK_DATA_DIR, "postgres");
  const running = await runningPostmaster(dataDir);
  if (running) {
    const connection = `postgresql://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${running.port}/${EMBEDDED_DATABASE}`;
    const prisma = createPrismaClient(connection, { maxConnections: 2 });
    const reachable = await prisma.$queryRaw`SELECT 1`.then(() => true, () => false);
    if (reachable) {
      return { prisma, where: `the running embedded PostgreSQL (${dataDir}, port ${running.port})`, close: () => prisma.$disconnect() };
    }
    await prisma.$disconnect(); // a stale pid file naming a recycled pid, or a server still starting
  }
  const db = await openDatabase(env, createLogger("silent"));
  return { prisma: db.prisma, where: `the embedded PostgreSQL (${dataDir}, started for this command)`, close: () => db.close() };
}

/** The live postmaster of `dataDir` (pid and port from its postmaster.pid), or null. */
async function runningPostmaster(dataDir: string): Promise<{ pid: number; port: number } | null> {
  const text = await readFile(path.join(dataDir, "postmaster.pid"), "utf8").catch(() => null);
  if (text === null) return null;
  const lines = text.split("\n");
  const pid = Number.parseInt(lines[0] ?? "", 10);
  const port = Number.parseInt(lines[3] ?? "", 10);
  if (!(pid > 0) || !(port > 0)) return null;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return null; // gone: a stale pid file
  }
  return { pid, port };
}

function redact(u: string): string {
  try {
    const parsed = new URL(u);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "<unparsable url>";
  }
}
