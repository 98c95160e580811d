import "server-only";

import { execFile } from "node:child_process";
import { readFile, unlink } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { StartError } from "../start-error";

/**
 * A previous run that died hard (kill -9) leaves either a live server on this data directory
 * (the child outlives its parent) or a postmaster.pid naming a dead (or recycled) process.
 * Shut the orphan down; remove a stale pid file. A server still owned by a live process is
 * another Liqdesk using this directory: refuse.
 */
export async function clearPreviousRun(dataDir: string, log: (line: string) => void): Promise<void> {
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
    throw new StartError(
      `${dataDir} is in use by a PostgreSQL server (pid ${info.pid}) that process ${proc.ppid} (${parent.command.trim()}) ` +
        "started and still runs: is another Liqdesk running? Stop it, or use another data directory (LIQDESK_DATA_DIR).",
    );
  }
  log(`stopping the PostgreSQL server left running by a previous run (pid ${info.pid})`);
  await killPostmaster(dataDir, log);
}

/** Fast shutdown of the postmaster named in dataDir/postmaster.pid, escalating if it hangs. */
export async function killPostmaster(dataDir: string, log: (line: string) => void): Promise<void> {
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
