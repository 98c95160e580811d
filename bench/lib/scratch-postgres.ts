/**
 * A throwaway PostgreSQL for benchmarks that need the project's schema but not its server: the
 * embedded PostgreSQL in a temporary directory (as the integration tests' global-db.ts starts it),
 * every migration applied (lib/server/db/migrate.ts), restarted once with the memory settings
 * given, so that SQL is measured on a server sized for the data rather than on the defaults.
 */
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from "@/lib/server/db/embedded-postgres";
import { migrateDatabase } from "@/lib/server/db/migrate";
import { freePort } from "../../tests/support/free-port";

export interface ScratchPostgres {
  /** Connection string of the migrated database. */
  url: string;
  /** The server settings in force (`name = value`), for the report. */
  settings: string[];
  /** Stops the server and deletes its directory. */
  stop(): Promise<void>;
}

/** Server settings applied with ALTER SYSTEM before the restart, e.g. `{ shared_buffers: "1GB" }`. */
export async function startScratchPostgres(settings: Record<string, string>): Promise<ScratchPostgres> {
  const dir = await mkdtemp(path.join(tmpdir(), "liqdesk-bench-pg-"));
  await chmod(dir, 0o755); // as root, the server runs as `postgres` and must reach its data dir
  const recent: string[] = [];
  const opts = {
    dataDir: path.join(dir, "data"),
    port: await freePort(),
    database: "liqdesk_bench",
    unsafeNoFsync: true,
    log: (line: string) => {
      recent.push(line);
      if (recent.length > 50) recent.shift();
    },
  };
  let db: EmbeddedPostgresHandle | null = null;
  try {
    db = await startEmbeddedPostgres(opts);
    await migrateDatabase(db.connectionString);
    await withClient(db.adminConnectionString, async (c) => {
      for (const [name, value] of Object.entries(settings)) await c.query(`ALTER SYSTEM SET ${c.escapeIdentifier(name)} = ${c.escapeLiteral(value)}`);
    });
    await db.stop();
    db = await startEmbeddedPostgres(opts);
    const url = db.connectionString;
    const shown = await withClient(url, async (c) => {
      const names = ["shared_buffers", "work_mem", "max_parallel_workers_per_gather", "jit", ...Object.keys(settings)];
      const rows = await c.query<{ name: string; value: string }>(
        "SELECT name, current_setting(name) AS value FROM pg_settings WHERE name = ANY($1) ORDER BY name",
        [[...new Set(names)]],
      );
      const version = await c.query<{ v: string }>("SELECT current_setting('server_version') AS v");
      return [`PostgreSQL ${version.rows[0]!.v}`, ...rows.rows.map((r) => `${r.name} = ${r.value}`)];
    });
    const handle = db;
    return {
      url,
      settings: shown,
      async stop() {
        await handle.stop();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await db?.stop();
    await rm(dir, { recursive: true, force: true });
    throw new Error(`scratch PostgreSQL failed: ${(err as Error).message}\n${recent.join("\n")}`);
  }
}

export async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
