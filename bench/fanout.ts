/**
 * Fan-out (docs/PERFORMANCE.md, "Fan-out to 1,000 socket clients"): what 1,000 connected desk
 * clients cost one server and how late they get each push, against the same server with one client.
 *
 * One server as `npm start` runs it (tests/support/app-server.ts), simulator on at the demo's
 * rate (LIQDESK_SIM_TICK_MS default, 500 ms) with its default population (2,000 accounts). After
 * the demo accounts are in and a warm-up, two windows of 60 s:
 *
 *   1 client      one client receiving both streams;
 *   1,000 clients connected in waves of 50 (each wave waits for its snapshots), then counted afresh.
 *
 * Clients are `LightSocketClient`s (bench/lib/light-socket-client.ts), all with the session cookie
 * of the demo desk user (sockets require a signed-in session; a desk user's socket joins both
 * streams): socket.io's protocol over the websocket transport as the desk page connects, reading the event name, `seq` and
 * `serverTime` of each frame without decoding the JSON, so that the clients leave the cores to the
 * server. For each window: server CPU (utime + stime of every thread, from /proc/<pid>/stat; its
 * PostgreSQL apart; this process and the rest of the machine), the server main thread's time on a
 * CPU and waiting for one (schedstat), the latency of every `markets:delta` from its `serverTime`
 * (when the hub pushed it) to its receipt by each client, p50/p99/max; how far apart the first and
 * the last client received the same push; frames dropped (gaps in each client's seq of
 * `markets:delta` and `desk:delta`, the hub's frames are volatile); clients disconnected; RSS.
 */
import {
  CpuWindow, cpuLine, deskSnapshot, int, machineLine, commitLine, MB, ms, procSample, sleep, summarize, threadSched, waitFor, waitForSimulator,
  withServer, type CpuUse,
} from "./lib/live-server";
import { LightSocketClient } from "./lib/light-socket-client";
import type { AppServer } from "../tests/support/app-server";
import { signInDesk } from "../tests/support/sign-in";
import type { SummaryRow } from "./lib/bench-summary";
import { benchScale } from "./lib/quick-mode";

/** LIQDESK_BENCH_SCALE=0.1 (or quick mode, LIQDESK_BENCH_QUICK=1) tries it out with 100 clients and windows of 10 s; the report names the size. */
const SCALE = benchScale();
const CLIENTS = Math.max(2, Math.round(1_000 * SCALE));
const WAVE = 50;
const WINDOW_MS = Math.max(10_000, Math.round(60_000 * SCALE));
const WARMUP_MS = 10_000;

interface Window {
  clients: number;
  cpu: CpuUse;
  /** This process's main thread (where the clients read): % of the window on a CPU and runnable, waiting for one. */
  clientThread: { runPct: number; waitPct: number };
  rssStart: number;
  rssEnd: number;
  rssMax: number;
  latency: ReturnType<typeof summarize>;
  /** Per push: last receipt − first receipt over the clients that received it. */
  spread: ReturnType<typeof summarize>;
  pushes: number;
  marketsPerClient: number;
  deskPerClient: number;
  marketsGaps: number;
  deskGaps: number;
  disconnected: string[];
  bytesPerClientPerS: number;
}

/** Receipts of `markets:delta` during a window: every latency, and per seq the first and last receipt. */
class Receipts {
  latencies: number[] = [];
  private readonly bySeq = new Map<number, { first: number; last: number; count: number }>();
  recording = false;

  readonly listener = (seq: number, serverTime: number, receivedAt: number) => {
    if (!this.recording) return;
    this.latencies.push(receivedAt - serverTime);
    const s = this.bySeq.get(seq);
    if (s) {
      s.first = Math.min(s.first, receivedAt);
      s.last = Math.max(s.last, receivedAt);
      s.count += 1;
    } else this.bySeq.set(seq, { first: receivedAt, last: receivedAt, count: 1 });
  };

  spreads(): number[] {
    return [...this.bySeq.values()].map((s) => s.last - s.first);
  }

  get pushes(): number {
    return this.bySeq.size;
  }
}

export default async function main(): Promise<SummaryRow[]> {
  console.log(machineLine());
  console.log(commitLine());
  return await withServer({ env: { LIQDESK_SIMULATOR: "on" } }, async (server) => {
    await waitForSimulator(server, 300_000);
    const book = (await deskSnapshot(server)).summary.book;
    console.log(`server: simulator on at the demo rate (LIQDESK_SIM_TICK_MS default), ${int(book.accounts)} demo accounts, ${int(book.positions)} positions; ` +
      `warm-up ${WARMUP_MS / 1000} s, windows of ${WINDOW_MS / 1000} s`);
    await sleep(WARMUP_MS);

    const one = await measure(server, 1);
    report(one);
    const many = await measure(server, CLIENTS);
    report(many);

    console.log("");
    console.log(`| server, ${WINDOW_MS / 1000} s | 1 client | ${int(CLIENTS)} clients | ratio |`);
    console.log("|---|---:|---:|---:|");
    const row = (name: string, a: number, b: number, digits = 1) =>
      console.log(`| ${name} | ${ms(a, digits)} | ${ms(b, digits)} | ${(b / a).toFixed(2)}x |`);
    row("server process CPU, % of one core", one.cpu.serverPct, many.cpu.serverPct, 0);
    row("server main thread on a CPU, % of the window", one.cpu.mainThread.runPct, many.cpu.mainThread.runPct, 0);
    console.log(`| server main thread runnable, waiting for a CPU | ${ms(one.cpu.mainThread.waitPct, 0)}% | ${ms(many.cpu.mainThread.waitPct, 0)}% | |`);
    console.log(`| its PostgreSQL, % of one core | ${ms(one.cpu.postgresPct, 0)}% | ${ms(many.cpu.postgresPct, 0)}% | |`);
    console.log(`| this benchmark (the clients), % of one core | ${ms(one.cpu.benchPct, 0)}% | ${ms(many.cpu.benchPct, 0)}% | |`);
    console.log(`| the clients' thread runnable, waiting for a CPU | ${ms(one.clientThread.waitPct, 0)}% | ${ms(many.clientThread.waitPct, 0)}% | |`);
    console.log(`| rest of the machine, % of one core | ${ms(one.cpu.othersPct, 0)}% | ${ms(many.cpu.othersPct, 0)}% | |`);
    row("`markets:delta` serverTime → received, p50 ms", one.latency.p50, many.latency.p50);
    row("… p99 ms", one.latency.p99, many.latency.p99);
    row("… max ms", one.latency.max, many.latency.max);
    console.log(`| first → last client receiving one push, p50 / p99 ms | — | ${ms(many.spread.p50, 1)} / ${ms(many.spread.p99, 1)} | |`);
    console.log(`| pushes of \`markets:delta\` (per client per s) | ${int(one.pushes)} (${one.marketsPerClient.toFixed(2)}) | ${int(many.pushes)} (${many.marketsPerClient.toFixed(2)}) | |`);
    console.log(`| \`desk:delta\` per client per s | ${one.deskPerClient.toFixed(2)} | ${many.deskPerClient.toFixed(2)} | |`);
    console.log(`| frames dropped (seq gaps over all clients): markets / desk | ${one.marketsGaps} / ${one.deskGaps} | ${many.marketsGaps} / ${many.deskGaps} | |`);
    console.log(`| clients disconnected | ${one.disconnected.length} | ${many.disconnected.length} | |`);
    console.log(`| received per client | ${(one.bytesPerClientPerS / 1024).toFixed(0)} KiB/s | ${(many.bytesPerClientPerS / 1024).toFixed(0)} KiB/s (all: ${MB(many.bytesPerClientPerS * CLIENTS)}/s) | |`);
    console.log(`| server RSS start → end (max) | ${MB(one.rssStart)} → ${MB(one.rssEnd)} (${MB(one.rssMax)}) | ${MB(many.rssStart)} → ${MB(many.rssEnd)} (${MB(many.rssMax)}) | |`);

    const clients = `${int(CLIENTS)} clients`;
    const rows: SummaryRow[] = [
      {
        benchmark: "fanout", measure: `server process CPU with ${clients}`, value: many.cpu.serverPct, unit: "% of one core",
        baseline: { measure: "the same server with 1 client", value: one.cpu.serverPct }, ratio: many.cpu.serverPct / one.cpu.serverPct,
      },
      {
        benchmark: "fanout", measure: `\`markets:delta\` push → received with ${clients}, p50`, value: many.latency.p50, unit: "ms",
        baseline: { measure: "1 client, p50", value: one.latency.p50 }, ratio: many.latency.p50 / one.latency.p50,
      },
      {
        benchmark: "fanout", measure: `\`markets:delta\` push → received with ${clients}, p99`, value: many.latency.p99, unit: "ms",
        baseline: { measure: "1 client, p99", value: one.latency.p99 }, ratio: many.latency.p99 / one.latency.p99,
      },
      { benchmark: "fanout", measure: `first → last of ${clients} receiving one push, p99`, value: many.spread.p99, unit: "ms" },
      {
        benchmark: "fanout", measure: `frames dropped (seq gaps) and clients disconnected, ${clients}`, value: many.marketsGaps + many.deskGaps + many.disconnected.length, unit: "count",
        goal: "0", met: many.marketsGaps + many.deskGaps + many.disconnected.length === 0,
      },
    ];
    return rows;
  });
}

/** Connects `count` clients (in waves), then one window; closes them. */
async function measure(server: AppServer, count: number): Promise<Window> {
  const receipts = new Receipts();
  const { cookie } = await signInDesk(server);
  const clients: LightSocketClient[] = [];
  const c0 = performance.now();
  for (let i = 0; i < count; i += WAVE) {
    const wave = Array.from({ length: Math.min(WAVE, count - i) }, () => new LightSocketClient(server.port, receipts.listener, { cookie }));
    clients.push(...wave);
    await waitFor(`${clients.length} clients with both snapshots`, async () => wave.every((c) => c.joined) || wave.some((c) => c.closed !== null), 120_000, 50);
    const refused = wave.find((c) => c.closed !== null);
    if (refused) throw new Error(`a client could not join: ${refused.closed}`);
  }
  const connectS = (performance.now() - c0) / 1000;
  await sleep(2000);
  for (const c of clients) c.resetCounts();
  receipts.recording = true;

  const rssStart = procSample(server.pid)?.rssBytes ?? NaN;
  let rssMax = rssStart;
  const cpu = new CpuWindow(server.pid);
  const own0 = threadSched(process.pid).get(process.pid) ?? { runMs: 0, waitMs: 0 };
  const end = performance.now() + WINDOW_MS;
  while (performance.now() < end) {
    await sleep(Math.min(1000, end - performance.now()));
    rssMax = Math.max(rssMax, procSample(server.pid)?.rssBytes ?? 0);
  }
  const use = cpu.end();
  receipts.recording = false;
  const own = threadSched(process.pid).get(process.pid) ?? own0;
  const rssEnd = procSample(server.pid)?.rssBytes ?? NaN;
  const seconds = use.seconds;
  const window: Window = {
    clients: count,
    cpu: use,
    clientThread: { runPct: (own.runMs - own0.runMs) / 10 / use.seconds, waitPct: (own.waitMs - own0.waitMs) / 10 / use.seconds },
    rssStart,
    rssEnd,
    rssMax: Math.max(rssMax, rssEnd),
    latency: summarize(receipts.latencies),
    spread: summarize(receipts.spreads()),
    pushes: receipts.pushes,
    marketsPerClient: clients.reduce((a, c) => a + c.markets, 0) / count / seconds,
    deskPerClient: clients.reduce((a, c) => a + c.desk, 0) / count / seconds,
    marketsGaps: clients.reduce((a, c) => a + c.marketsGaps, 0),
    deskGaps: clients.reduce((a, c) => a + c.deskGaps, 0),
    disconnected: clients.filter((c) => c.closed !== null).map((c) => c.closed!),
    bytesPerClientPerS: clients.reduce((a, c) => a + c.bytes, 0) / count / seconds,
  };
  for (const c of clients) c.close();
  console.log("");
  console.log(`-- ${int(count)} client(s), connected in ${connectS.toFixed(1)} s`);
  return window;
}

function report(w: Window): void {
  console.log(`   ${cpuLine(w.cpu)}; the clients' thread (this process) on a CPU ${w.clientThread.runPct.toFixed(0)}%, waiting for one ${w.clientThread.waitPct.toFixed(0)}%`);
  console.log(`   markets:delta serverTime → received over ${int(w.latency.n)} receipts: p50 ${ms(w.latency.p50)} ms, p99 ${ms(w.latency.p99)} ms, max ${ms(w.latency.max)} ms; ` +
    `${int(w.pushes)} pushes, first → last client p50 ${ms(w.spread.p50)} ms, p99 ${ms(w.spread.p99)} ms`);
  console.log(`   per client: markets:delta ${w.marketsPerClient.toFixed(2)}/s, desk:delta ${w.deskPerClient.toFixed(2)}/s, ${(w.bytesPerClientPerS / 1024).toFixed(0)} KiB/s; ` +
    `seq gaps over all clients: markets ${w.marketsGaps}, desk ${w.deskGaps}; disconnected ${w.disconnected.length}` +
    `${w.disconnected.length ? ` (${[...new Set(w.disconnected)].join(", ")})` : ""}`);
  console.log(`   server RSS ${MB(w.rssStart)} at start, ${MB(w.rssEnd)} at end, max ${MB(w.rssMax)}`);
}
