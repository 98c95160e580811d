/**
 * CPU of every process on the machine over a window, grouped: the server (and its children), the
 * PostgreSQL and the Chromium this benchmark started, this process, and what else was running
 * (the busiest other processes by name), from /proc/<pid>/stat at the start and the end.
 */
import { readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import { spawnSync } from "node:child_process";
import { descendants, machineBusyMs, procSample } from "./live-server";

const CLK_TCK = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout?.trim()) || 100;

function comm(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, "utf8").trim();
  } catch {
    return "?";
  }
}

/** CPU ms the hypervisor gave to other machines (steal, in /proc/stat's busy time). */
function stealMs(): number {
  const f = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
  return ((f[7] ?? 0) * 1000) / CLK_TCK;
}

function allCpu(): Map<number, number> {
  const out = new Map<number, number>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const s = procSample(Number(name));
    if (s) out.set(Number(name), s.cpuMs);
  }
  return out;
}

export interface ProcessCpu {
  seconds: number;
  /** % of one core. */
  serverPct: number;
  postgresPct: number;
  chromiumPct: number;
  benchPct: number;
  othersPct: number;
  /** Cores the whole machine kept busy, of `cores`. */
  machineCores: number;
  cores: number;
  /** The busiest processes not started by this benchmark: `name pct%` (several of a name summed). */
  busiestOthers: string[];
  /** Of everything else: steal (the VM waiting for the host), and processes that ended before the window did (not named). */
  stealPct: number;
  endedPct: number;
}

export class ProcessCpuWindow {
  private readonly t0 = performance.now();
  private readonly cpu0 = allCpu();
  private readonly machine0 = machineBusyMs();
  private readonly steal0 = stealMs();

  constructor(private readonly serverPid: number) {}

  end(): ProcessCpu {
    const seconds = (performance.now() - this.t0) / 1000;
    const cpu1 = allCpu();
    const used = (pid: number) => Math.max(0, (cpu1.get(pid) ?? 0) - (this.cpu0.get(pid) ?? 0));
    const pct = (ms: number) => ms / 10 / seconds;
    const server = new Set([this.serverPid, ...descendants(this.serverPid)]);
    const ours = new Set([process.pid, ...descendants(process.pid)]);
    let serverMs = 0, postgresMs = 0, chromiumMs = 0, benchMs = 0, oursOtherMs = 0;
    const others = new Map<string, number>();
    for (const pid of cpu1.keys()) {
      const ms = used(pid);
      if (server.has(pid)) serverMs += ms;
      else if (pid === process.pid) benchMs += ms;
      else if (ours.has(pid)) {
        const name = comm(pid);
        if (name === "postgres") postgresMs += ms;
        else if (/chrom/i.test(name)) chromiumMs += ms;
        else oursOtherMs += ms;
      } else if (ms > 0) {
        const name = comm(pid);
        others.set(name, (others.get(name) ?? 0) + ms);
      }
    }
    const machineMs = machineBusyMs() - this.machine0;
    const othersMs = Math.max(0, machineMs - serverMs - postgresMs - chromiumMs - benchMs - oursOtherMs);
    const steal = stealMs() - this.steal0;
    const named = [...others.values()].reduce((a, b) => a + b, 0);
    return {
      seconds,
      serverPct: pct(serverMs), postgresPct: pct(postgresMs), chromiumPct: pct(chromiumMs), benchPct: pct(benchMs + oursOtherMs), othersPct: pct(othersMs),
      machineCores: machineMs / 1000 / seconds, cores: os.availableParallelism(),
      stealPct: pct(steal), endedPct: pct(Math.max(0, othersMs - steal - named)),
      busiestOthers: [...others].sort((a, b) => b[1] - a[1]).slice(0, 5).filter(([, ms]) => pct(ms) >= 1).map(([name, ms]) => `${name} ${pct(ms).toFixed(0)}%`),
    };
  }
}

export function processCpuLine(c: ProcessCpu): string {
  return `CPU (% of one core, ${c.cores} cores): server ${c.serverPct.toFixed(0)}%, its PostgreSQL ${c.postgresPct.toFixed(0)}%, Chromium ${c.chromiumPct.toFixed(0)}%, ` +
    `this benchmark ${c.benchPct.toFixed(0)}%, everything else ${c.othersPct.toFixed(0)}% (${c.busiestOthers.join(", ") || "nothing over 1%"}; ` +
    `processes that ended during the window ${c.endedPct.toFixed(0)}%, steal ${c.stealPct.toFixed(0)}%); ` +
    `machine busy ${c.machineCores.toFixed(2)} of ${c.cores} cores`;
}
