import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import net from "node:net";
import path from "node:path";
import pg from "pg";
import { startAppServer, type AppServer } from "./app-server";

/** The services a deployment of several instances needs (docs/SCALING.md), as they run on a developer machine and in CI. */
export const SHARED_PG_ADMIN_URL = process.env.LIQDESK_E2E_PG_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
export const SHARED_REDIS_URL = process.env.LIQDESK_E2E_REDIS_URL ?? "redis://127.0.0.1:6379";

const ROOT = path.resolve(import.meta.dirname, "../..");

async function postgresProblem(): Promise<string | null> {
  const client = new pg.Client({ connectionString: SHARED_PG_ADMIN_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return null;
  } catch (error) {
    return `PostgreSQL at ${SHARED_PG_ADMIN_URL} (${error instanceof Error ? error.message : String(error)})`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function redisProblem(): Promise<string | null> {
  const url = new URL(SHARED_REDIS_URL);
  return new Promise((resolve) => {
    const socket = net.connect({ host: url.hostname, port: Number(url.port || 6379) });
    const fail = (why: string) => {
      socket.destroy();
      resolve(`Redis at ${SHARED_REDIS_URL} (${why})`);
    };
    socket.setTimeout(2000, () => fail("timeout"));
    socket.once("error", (error) => fail(error.message));
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.once("data", (data) => {
      socket.destroy();
      resolve(data.toString().startsWith("+PONG") ? null : `Redis at ${SHARED_REDIS_URL} (answered ${JSON.stringify(data.toString().trim())})`);
    });
  });
}

/** null when PostgreSQL and Redis both answer, else which is missing (the tests skip, naming it). */
export async function missingClusterServices(): Promise<string | null> {
  const problems = (await Promise.all([postgresProblem(), redisProblem()])).filter((p): p is string => p !== null);
  return problems.length ? `needs ${problems.join(" and ")}` : null;
}

/** A deployment's shared parts: a new database on the PostgreSQL service, a Redis channel of its own, one auth secret. */
export interface Deployment {
  databaseUrl: string;
  /** LIQDESK_PUBLIC_URL: the load balancer's address users would reach (browsers send it as Origin). */
  publicUrl: string;
  env: Record<string, string>;
  /** Drops the database. */
  drop(): Promise<void>;
}

export async function createDeployment(name: string): Promise<Deployment> {
  const id = `${name}_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: SHARED_PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE liqdesk_e2e_${id}`);
  await admin.end();
  const databaseUrl = new URL(SHARED_PG_ADMIN_URL);
  databaseUrl.pathname = `/liqdesk_e2e_${id}`;
  const publicUrl = "http://liqdesk-lb.test";
  return {
    databaseUrl: databaseUrl.toString(),
    publicUrl,
    env: {
      LIQDESK_PUBLIC_URL: publicUrl,
      DATABASE_URL: databaseUrl.toString(),
      REDIS_URL: SHARED_REDIS_URL,
      LIQDESK_REDIS_CHANNEL: `liqdesk-e2e-${id}`,
      LIQDESK_AUTH_SECRET: randomBytes(24).toString("hex"),
      LIQDESK_SIMULATOR: "off",
    },
    async drop() {
      const client = new pg.Client({ connectionString: SHARED_PG_ADMIN_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS liqdesk_e2e_${id} WITH (FORCE)`);
      await client.end();
    },
  };
}

/** Starts one instance of the deployment (`npm start`, as a real one runs); it is a standby until it holds the engine lock. */
export function startInstance(deployment: Deployment): Promise<AppServer> {
  return startAppServer({ env: deployment.env });
}

export interface Health {
  db: string;
  role?: "leader" | "standby";
  leader?: string | null;
}

export async function health(server: AppServer): Promise<Health | null> {
  try {
    const res = await fetch(`${server.url}/api/health`, { signal: AbortSignal.timeout(2000) });
    return (await res.json()) as Health;
  } catch {
    return null;
  }
}

/** Polls /api/health until the instance reports `role`; resolves with the milliseconds it took. */
export async function waitForRole(server: AppServer, role: "leader" | "standby", timeoutMs = 30_000): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    if ((await health(server))?.role === role) return performance.now() - started;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${server.url} did not become ${role} within ${timeoutMs} ms:\n${server.output().slice(-3000)}`);
}

/** `npm run token -- create NAME` against the deployment's database; returns the token. */
export function createIngestToken(deployment: Deployment, name: string): string {
  const result = spawnSync(process.execPath, ["--import", "tsx", "--import", "./scripts/server-only-hook.mjs", "scripts/token.ts", "create", name], {
    cwd: ROOT, encoding: "utf8", timeout: 60_000, env: { ...process.env, DATABASE_URL: deployment.databaseUrl },
  });
  if (result.status !== 0) throw new Error(`token create failed (${result.status}):\n${result.stderr}`);
  return result.stdout.trim();
}
