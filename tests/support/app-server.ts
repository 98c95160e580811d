import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort } from "./free-port";
import pg from "pg";

export interface AppServer {
  url: string;
  port: number;
  /** The embedded PostgreSQL's port and a connection string to its database. */
  pgPort: number;
  databaseUrl: string;
  dataDir: string;
  /** The server process's id (scripts/start.ts runs server.ts in this process). */
  pid: number;
  output(): string;
  /** SIGTERM and wait for a clean exit; returns the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL: the process gets no chance to clean up. */
  kill(): Promise<void>;
}

const ROOT = path.resolve(import.meta.dirname, "../..");

/**
 * Starts Liqdesk as `npm start` does (scripts/start.ts: build if stale, then server.ts) with its
 * own embedded PostgreSQL in a temporary data directory, and waits until /api/health says ready.
 */
export async function startAppServer(opts: {
  env?: Record<string, string>; dataDir?: string; readyTimeoutMs?: number; port?: number; pgPort?: number;
} = {}): Promise<AppServer> {
  const port = opts.port ?? (await freePort());
  const pgPort = opts.pgPort ?? (await freePort());
  const dataDir = opts.dataDir ?? mkdtempSync(path.join(tmpdir(), "liqdesk-e2e-"));
  // LIQDESK_SERVER_NODE_ARGS: node flags for the server process only (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"
  // to profile it under a benchmark's load; NODE_OPTIONS refuses most of them).
  const nodeArgs = process.env.LIQDESK_SERVER_NODE_ARGS?.split(/\s+/).filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...nodeArgs, "--import", "tsx", "--import", "./scripts/server-only-hook.mjs", "scripts/start.ts"], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      LIQDESK_PG_PORT: String(pgPort),
      LIQDESK_DATA_DIR: dataDir,
      LOG_LEVEL: "info",
      ...opts.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (out += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  await waitReady(url, child, () => out, opts.readyTimeoutMs ?? 600_000);
  return {
    url, port, dataDir, pgPort, pid: child.pid!,
    databaseUrl: `postgresql://postgres:liqdesk@127.0.0.1:${pgPort}/liqdesk`,
    output: () => out,
    async stop() {
      child.kill("SIGTERM");
      return exited;
    },
    async kill() {
      child.kill("SIGKILL");
      await exited;
    },
  };
}

async function waitReady(url: string, child: ChildProcess, output: () => string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode} before it was ready:\n${output()}`);
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  child.kill("SIGKILL");
  throw new Error(`server not ready after ${timeoutMs} ms:\n${output()}`);
}

/** Runs a project CLI (scripts/NAME.ts) against the server's data directory; returns its stdout. */
export function runScript(server: AppServer, name: string, args: string[]): string {
  const result = spawnSync(process.execPath, ["--import", "tsx", "--import", "./scripts/server-only-hook.mjs", `scripts/${name}.ts`, ...args], {
    cwd: ROOT, encoding: "utf8", timeout: 60_000,
    env: { ...process.env, LIQDESK_DATA_DIR: server.dataDir, LIQDESK_PG_PORT: String(server.pgPort) },
  });
  if (result.status !== 0) throw new Error(`scripts/${name}.ts ${args.join(" ")} failed (${result.status}):\n${result.stderr}`);
  return result.stdout;
}

export function removeDataDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** A test's teardown: stops the server (SIGTERM, clean exit awaited) and removes its data directory; the exit code (undefined without a server). */
export async function stopAndRemove(server: AppServer | null | undefined): Promise<number | null | undefined> {
  if (!server) return undefined;
  try {
    return await server.stop();
  } finally {
    removeDataDir(server.dataDir);
  }
}

/** Runs one SQL statement on the server's own database (its embedded PostgreSQL), on a connection of its own. */
export async function queryServerDatabase<T extends pg.QueryResultRow>(server: AppServer, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: server.databaseUrl });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}
