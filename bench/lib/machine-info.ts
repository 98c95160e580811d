/** Where and on what a benchmark runs, for the summary (bench/lib/bench-summary.ts): read from the machine and git. */
import { execSync } from "node:child_process";
import os from "node:os";
import type { MachineInfo } from "./bench-summary";
import { cpuModel, ROOT } from "./live-server";

export function machineInfo(): MachineInfo {
  return { nproc: os.availableParallelism(), cpuModel: cpuModel(), memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version };
}

export const loadAverage = (): number[] => os.loadavg().map((x) => Math.round(x * 100) / 100);

/** The short commit, with "+ uncommitted changes" when the code the benchmarks run differs from it. */
export function commitOf(dirs = ["app", "components", "lib", "server.ts", "bench", "scripts", "package-lock.json"]): string {
  try {
    const head = execSync("git rev-parse --short HEAD", { cwd: ROOT, encoding: "utf8" }).trim();
    const dirty = execSync(`git status --porcelain -- ${dirs.join(" ")}`, { cwd: ROOT, encoding: "utf8" }).trim();
    return dirty ? `${head} + uncommitted changes` : head;
  } catch {
    return "unknown (not a git checkout)";
  }
}
