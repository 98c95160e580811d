/**
 * Helpers for the benchmarks that run the real server (`npm start`'s path, through
 * tests/support/app-server.ts): the machine line, percentiles, a process's CPU time and RSS from
 * /proc, the server's child processes (embedded PostgreSQL), and waiting for the desk to be ready.
 */
import { execSync, spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { DeskSnapshot } from "@/lib/contracts/desk";
import { removeDataDir, startAppServer, type AppServer } from "../../tests/support/app-server";
import { signInDesk } from "../../tests/support/sign-in";

export const ROOT = path.resolve(import.meta.dirname, "../..");

export function cpuModel(): string {
  try {
    const line = readFileSync("/proc/cpuinfo", "utf8").split("\n").find((l) => l.startsWith("model name"));
    return line ? line.split(":")[1]!.trim() : os.cpus()[0]?.model ?? "unknown CPU";
  } catch {
    return os.cpus()[0]?.model ?? "unknown CPU";
  }
}

/** nproc, CPU model, Node version and load average: the line every report starts with. */
export function machineLine(): string {
  const load = os.loadavg().map((x) => x.toFixed(2)).join(" ");
  return `machine: nproc ${os.availableParallelism()}, ${cpuModel()}, node ${process.version}, ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, load average at start ${load}`;
}

/** The commit the benchmark runs on, with "+ uncommitted changes in …" when the tree is dirty. */
export function commitLine(dirs: string[] = ["app", "components", "lib", "server.ts"]): string {
  try {
    const head = execSync("git rev-parse --short HEAD", { cwd: ROOT, encoding: "utf8" }).trim();
    const subject = execSync("git log -1 --format=%s", { cwd: ROOT, encoding: "utf8" }).trim();
    const dirty = execSync(`git status --porcelain -- ${dirs.join(" ")}`, { cwd: ROOT, encoding: "utf8" }).trim();
    const files = dirty ? dirty.split("\n").length : 0;
    return `commit ${head} ("${subject.slice(0, 80)}")${files ? ` + uncommitted changes in ${files} file(s) under ${dirs.join(", ")}` : ", clean tree"}`;
  } catch {
    return "commit unknown (not a git checkout)";
  }
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function summarize(samples: number[]): { n: number; min: number; p50: number; p95: number; p99: number; max: number; mean: number } {
  const s = [...samples].sort((a, b) => a - b);
  const mean = s.reduce((a, b) => a + b, 0) / Math.max(1, s.length);
  return {
    n: s.length, min: s[0] ?? NaN, p50: percentile(s, 50), p95: percentile(s, 95), p99: percentile(s, 99), max: s[s.length - 1] ?? NaN, mean,
  };
}

const CLK_TCK = (() => {
  const r = spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" });
  const n = Number(r.stdout?.trim());
  return Number.isFinite(n) && n > 0 ? n : 100;
})();
const PAGE_SIZE = (() => {
  const r = spawnSync("getconf", ["PAGESIZE"], { encoding: "utf8" });
  const n = Number(r.stdout?.trim());
  return Number.isFinite(n) && n > 0 ? n : 4096;
})();

export interface ProcSample {
  /** utime + stime of every thread of the process, in ms. */
  cpuMs: number;
  rssBytes: number;
  ppid: number;
}

/** utime + stime (all threads, the engine worker included) and RSS of a process, from /proc/<pid>/stat. */
export function procSample(pid: number): ProcSample | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return null;
  }
  // Fields after the command name, which is in parentheses and may contain spaces.
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // f[0] is field 3 (state): field n is f[n - 3].
  const utime = Number(f[14 - 3]);
  const stime = Number(f[15 - 3]);
  const rssPages = Number(f[24 - 3]);
  return { cpuMs: ((utime + stime) * 1000) / CLK_TCK, rssBytes: rssPages * PAGE_SIZE, ppid: Number(f[4 - 3]) };
}

/** Every live descendant of `pid` (the embedded PostgreSQL postmaster and its backends). */
export function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const s = procSample(Number(name));
    if (!s) continue;
    const list = children.get(s.ppid) ?? [];
    list.push(Number(name));
    children.set(s.ppid, list);
  }
  const out: number[] = [];
  const stack = [...(children.get(pid) ?? [])];
  while (stack.length) {
    const p = stack.pop()!;
    out.push(p);
    stack.push(...(children.get(p) ?? []));
  }
  return out;
}

/** Σ CPU ms of a set of processes (those that exited meanwhile are left out). */
export function cpuMsOf(pids: number[]): number {
  let total = 0;
  for (const p of pids) total += procSample(p)?.cpuMs ?? 0;
  return total;
}

/** Busy CPU ms of the whole machine (every core), from the first line of /proc/stat. */
export function machineBusyMs(): number {
  const f = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal
  const busy = f[0]! + f[1]! + f[2]! + f[5]! + f[6]! + f[7]!;
  return (busy * 1000) / CLK_TCK;
}

/** Per thread of a process: ms on a CPU and ms runnable but waiting for one (/proc/<pid>/task/<tid>/schedstat). */
export function threadSched(pid: number): Map<number, { runMs: number; waitMs: number }> {
  const out = new Map<number, { runMs: number; waitMs: number }>();
  let tids: string[] = [];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tids) {
    try {
      const [run, wait] = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").trim().split(" ").map(Number);
      out.set(Number(tid), { runMs: run! / 1e6, waitMs: wait! / 1e6 });
    } catch {
      // the thread ended
    }
  }
  return out;
}

export interface ThreadUse {
  /** % of the window on a CPU, and runnable but waiting for a CPU (the rest: sleeping, i.e. idle or blocked). */
  runPct: number;
  waitPct: number;
}

export interface CpuUse {
  seconds: number;
  /** % of one core: the server process (all threads), its PostgreSQL, this benchmark process, everything else on the machine. */
  serverPct: number;
  postgresPct: number;
  benchPct: number;
  othersPct: number;
  /** The server's main thread (event loop) and its busiest other thread (the engine worker). */
  mainThread: ThreadUse;
  busiestOtherThread: ThreadUse;
  /** The next busiest threads after it (the analytics thread, V8's and libuv's helpers: Node names them all "node"), busiest first. */
  nextThreads: ThreadUse[];
}

/** CPU use of the server process, its children (PostgreSQL), this process and the rest of the machine over a window. */
export class CpuWindow {
  private readonly t0 = performance.now();
  private readonly server0: number;
  private readonly children0: Map<number, number>;
  private readonly bench0 = process.cpuUsage();
  private readonly machine0 = machineBusyMs();
  private readonly threads0: Map<number, { runMs: number; waitMs: number }>;

  constructor(private readonly pid: number) {
    this.threads0 = threadSched(pid);
    this.server0 = procSample(pid)?.cpuMs ?? 0;
    this.children0 = new Map(descendants(pid).map((p) => [p, procSample(p)?.cpuMs ?? 0]));
  }

  end(): CpuUse {
    const seconds = (performance.now() - this.t0) / 1000;
    const server = (procSample(this.pid)?.cpuMs ?? 0) - this.server0;
    let children = 0;
    for (const p of descendants(this.pid)) {
      const now = procSample(p)?.cpuMs ?? 0;
      children += now - (this.children0.get(p) ?? 0);
    }
    const b = process.cpuUsage(this.bench0);
    const bench = (b.user + b.system) / 1000;
    const machine = machineBusyMs() - this.machine0;
    const pct = (x: number) => x / 10 / seconds;
    const threads = [...threadSched(this.pid)].map(([tid, t]) => {
      const t0 = this.threads0.get(tid) ?? { runMs: 0, waitMs: 0 };
      return { tid, use: { runPct: pct(t.runMs - t0.runMs), waitPct: pct(t.waitMs - t0.waitMs) } };
    });
    const main = threads.find((t) => t.tid === this.pid)?.use ?? { runPct: NaN, waitPct: NaN };
    const others = threads.filter((t) => t.tid !== this.pid).sort((a, b) => b.use.runPct - a.use.runPct);
    const other = others[0]?.use ?? { runPct: NaN, waitPct: NaN };
    return {
      seconds, serverPct: pct(server), postgresPct: pct(children), benchPct: pct(bench),
      othersPct: Math.max(0, pct(machine - server - children - bench)),
      mainThread: main, busiestOtherThread: other, nextThreads: others.slice(1, 6).map((t) => t.use),
    };
  }
}

export function cpuLine(c: CpuUse): string {
  return `CPU (% of one core, ${os.availableParallelism()} cores): server process ${c.serverPct.toFixed(0)}%, its PostgreSQL ${c.postgresPct.toFixed(0)}%, ` +
    `this benchmark ${c.benchPct.toFixed(0)}%, everything else on the machine ${c.othersPct.toFixed(0)}%; ` +
    `server main thread on a CPU ${c.mainThread.runPct.toFixed(0)}% of the time, runnable but waiting for a CPU ${c.mainThread.waitPct.toFixed(0)}%; ` +
    `busiest other thread (engine worker) ${c.busiestOtherThread.runPct.toFixed(0)}% / waiting ${c.busiestOtherThread.waitPct.toFixed(0)}%`;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs: number, everyMs = 500): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe().catch(() => null);
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

export async function deskSnapshot(server: AppServer): Promise<DeskSnapshot> {
  const res = await (await signInDesk(server)).fetch("/api/v1/desk/snapshot");
  if (res.status !== 200) throw new Error(`desk snapshot answered ${res.status}`);
  return (await res.json()) as DeskSnapshot;
}

/** With the simulator on, the server logs this once the demo accounts are in and the simulator runs. */
export async function waitForSimulator(server: AppServer, timeoutMs: number): Promise<void> {
  await waitFor("the price simulator to start (demo accounts ingested)", async () => server.output().includes("price simulator on"), timeoutMs);
}

/** Runs `fn` with a started server; always stops it (SIGTERM) and removes its data directory. */
export async function withServer<T>(
  opts: Parameters<typeof startAppServer>[0],
  fn: (server: AppServer) => Promise<T>,
  keepDataDir = false,
): Promise<T> {
  const server = await startAppServer(opts);
  try {
    return await fn(server);
  } finally {
    const code = await Promise.race([server.stop(), sleep(30_000).then(() => "timeout" as const)]);
    if (code === "timeout") await server.kill();
    if (!keepDataDir) removeDataDir(server.dataDir);
  }
}

export const MB = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
export const int = (x: number) => Math.round(x).toLocaleString("en-US");
export const ms = (x: number, digits = 1) => (Number.isFinite(x) ? x.toFixed(digits) : "—");
