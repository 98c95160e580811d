/**
 * Tick to browser (docs/PERFORMANCE.md, "Desk push"): how long a price tick takes from the POST
 * that brings it to the socket.io client that shows it, on a server holding 100,000 accounts,
 * against the same server with an empty book started in the same run.
 *
 *   book   first start with the simulator on and LIQDESK_SIM_ACCOUNTS=100000: the demo population
 *          is ingested through the venue's ingest path; once the desk snapshot shows it, the server
 *          is stopped and started again on the same data directory with LIQDESK_SIMULATOR=off,
 *          so that every price tick is ours (the engine rebuilds the 100,000 accounts from
 *          PostgreSQL).
 *   idle   a second server, LIQDESK_SIM_ACCOUNTS=0 and the simulator off: no account at all.
 *
 * In each, this process drives prices as the simulator does at LIQDESK_SIM_TICK_MS=50: every
 * 50 ms (absolute schedule, open loop) each of three sources posts one batch to
 * POST /api/v1/ingest/prices with a tick for each of the 8 markets (GBM-with-jumps path of
 * lib/sim, 2 bps of noise per source): 20 ticks/s per market per source, 60 requests/s. Each tick
 * carries its own `ts` and its send time is recorded. One socket.io client (websocket transport,
 * as the desk page connects) receives `markets:delta` and `desk:delta`. A tick's latency is the
 * receipt time of the first `markets:delta` whose update for that market lists that source with
 * that `ts`, minus the send time; the server coalesces pushes to one per 100 ms, so a tick
 * superseded by the source's next tick before a push is never shown on its own: those are
 * counted, and also timed to the push that showed the newer tick ("shown or superseded").
 *
 * Warm-up 12 s (the first start's sources turn stale after 10 s), then 60 s measured. Also
 * printed: the latency split at the server's push (`serverTime` of the delta), p99 per 10 s slice,
 * CPU of the server, its PostgreSQL and the rest of the machine, how much of the window the
 * server's main thread spent on a CPU versus runnable but waiting for one (schedstat), and the
 * desk's HTTP reads (snapshot, accounts by id prefix, first page of accounts) timed every 5 s
 * during the window. Last, the periodic desk work with 100,000 accounts is timed in this process
 * with the server's functions.
 */
import { monitorEventLoopDelay } from "node:perf_hooks";
import { io, type Socket } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents } from "@/lib/contracts/socket-events";
import type { MarketsResponse } from "@/lib/contracts/markets";
import { QUEUE_ROWS } from "@/lib/contracts/desk";
import { atRisk, bookSnapshot, bookSummary, fundRunway, LiveBook, marginRows, QueuePageDiff, ratioHistogram } from "@/lib/engine";
import { generateAccountPopulation } from "@/lib/sim/account-population";
import { createPrng, normal } from "@/lib/sim/prng";
import { roundToTick, stepPrice } from "@/lib/sim/price-path";
import { seedMarkets } from "@/lib/sim/seed-markets";
import { runScript, startAppServer, removeDataDir, type AppServer } from "../tests/support/app-server";
import { signInDesk } from "../tests/support/sign-in";
import {
  CpuWindow, cpuLine, deskSnapshot, type CpuUse, int, machineLine, commitLine, ms, sleep, summarize, waitFor, waitForSimulator, withServer,
} from "./lib/live-server";
import type { SummaryRow } from "./lib/bench-summary";
import { quickOr } from "./lib/quick-mode";

/** Quick mode (LIQDESK_BENCH_QUICK=1): 10,000 accounts, warm-up 5 s, measured 10 s. */
const BOOK_ACCOUNTS = quickOr(100_000, 10_000);
const TICK_MS = 50;
const SOURCES = ["bench-a", "bench-b", "bench-c"];
const WARMUP_MS = quickOr(12_000, 5_000);
const MEASURE_MS = quickOr(60_000, 10_000);
/** Open loop, but never more than a second of requests outstanding: beyond that ticks are skipped (and counted). */
const MAX_IN_FLIGHT = 60;
/** LIQDESK_SIM_SEED's default: the demo population's seed, and this feed's. */
const SEED = 20261122;
/** What the simulator uses (lib/sim/price-simulator.ts). */
const PATH = { annualVolatility: 1, jumpProbability: 0.002, jumpStdDev: 0.02, timeScale: 200 };
const SOURCE_NOISE = 0.0002;

interface Pending {
  ts: number;
  sentAt: number;
  measured: boolean;
}

/** Epoch ms of a performance.now() reading (the server's `serverTime` is Date.now() on the same clock). */
const epoch = (t: number) => performance.timeOrigin + t;
const SLICES = 6;

interface RunReport {
  label: string;
  accounts: number;
  positions: number;
  startupNote: string;
  ticksSent: number;
  ticksSkipped: number;
  achievedPerMarketPerSource: number;
  exact: ReturnType<typeof summarize>;
  shownOrSuperseded: ReturnType<typeof summarize>;
  superseded: number;
  neverSeen: number;
  ack: ReturnType<typeof summarize>;
  ackErrors: number;
  marketsDeltas: number;
  marketsGaps: number;
  deskDeltas: number;
  deskGaps: number;
  deskPerSecond: number;
  deskMaxIn1s: number;
  deskMinGapMs: number;
  deskIntervals: ReturnType<typeof summarize>;
  deskMeanBytes: number;
  liquidationSteps: number;
  queueSize: number;
  cpu: CpuUse;
  /** Of the exactly shown ticks: send → the server's push (its serverTime), and push → receipt. */
  toPush: ReturnType<typeof summarize>;
  pushToReceipt: ReturnType<typeof summarize>;
  /** p99 of "shown exactly" in each sixth of the measured window. */
  sliceP99: number[];
  sliceS: number;
  clientLoopP99: number;
  clientLoopMax: number;
  /** Desk reads over HTTP during the window (one of each every 5 s): wall ms. */
  reads: Record<ReadName, ReturnType<typeof summarize>>;
  readBytes: Record<ReadName, number>;
}

/** What a desk page reads over HTTP besides the socket, timed during the window. */
const READS = {
  "desk snapshot": "/api/v1/desk/snapshot",
  "accounts by id prefix (?q=acct-0001)": "/api/v1/accounts?q=acct-0001&limit=100",
  "accounts, first 100 by margin ratio": "/api/v1/accounts?limit=100",
} as const;
type ReadName = keyof typeof READS;
const READ_EVERY_MS = 5000;

export default async function main(): Promise<SummaryRow[]> {
  console.log(machineLine());
  console.log(commitLine());
  console.log(`drive: ${SOURCES.length} sources x ${seedMarkets.length} markets, a batch per source every ${TICK_MS} ms (open loop), warm-up ${WARMUP_MS / 1000} s, measured ${MEASURE_MS / 1000} s`);

  const idle = await withServer({ env: { LIQDESK_SIMULATOR: "off", LIQDESK_SIM_ACCOUNTS: "0" } }, (server) =>
    drive(server, "idle book (LIQDESK_SIM_ACCOUNTS=0)", "one start, simulator off"));
  printRun(idle);

  const book = await bookRun();
  printRun(book);

  console.log("");
  console.log("| tick → markets:delta received (ms) | idle book | 100k accounts | ratio |");
  console.log("|---|---:|---:|---:|");
  for (const k of ["p50", "p95", "p99", "max"] as const) {
    console.log(`| shown exactly, ${k} | ${ms(idle.exact[k])} | ${ms(book.exact[k])} | ${(book.exact[k] / idle.exact[k]).toFixed(2)}x |`);
  }
  for (const k of ["p50", "p99"] as const) {
    console.log(`| of which send → server push (delta's serverTime), ${k} | ${ms(idle.toPush[k])} | ${ms(book.toPush[k])} | ${(book.toPush[k] / idle.toPush[k]).toFixed(2)}x |`);
  }
  for (const k of ["p50", "p99"] as const) {
    console.log(`| shown or superseded, ${k} | ${ms(idle.shownOrSuperseded[k])} | ${ms(book.shownOrSuperseded[k])} | ${(book.shownOrSuperseded[k] / idle.shownOrSuperseded[k]).toFixed(2)}x |`);
  }
  for (const k of ["p50", "p99"] as const) {
    console.log(`| ingest POST acknowledged, ${k} | ${ms(idle.ack[k])} | ${ms(book.ack[k])} | ${(book.ack[k] / idle.ack[k]).toFixed(2)}x |`);
  }
  for (const name of Object.keys(READS) as ReadName[]) {
    const a = idle.reads[name];
    const b = book.reads[name];
    console.log(`| GET ${name}, p50 / max (${b.n} during the window; ${int(book.readBytes[name])} bytes) | ${ms(a.p50)} / ${ms(a.max)} | ${ms(b.p50)} / ${ms(b.max)} | ${(b.p50 / a.p50).toFixed(2)}x |`);
  }
  console.log(`| ticks/s per market per source accepted (20 offered) | ${idle.achievedPerMarketPerSource.toFixed(1)} | ${book.achievedPerMarketPerSource.toFixed(1)} | |`);
  console.log(`| desk:delta per second (max in any 1 s) | ${idle.deskPerSecond.toFixed(1)} (${idle.deskMaxIn1s}) | ${book.deskPerSecond.toFixed(1)} (${book.deskMaxIn1s}) | |`);
  console.log(`| desk:delta mean size, bytes of JSON | ${int(idle.deskMeanBytes)} | ${int(book.deskMeanBytes)} | |`);
  console.log(`| server CPU, % of one core (its PostgreSQL) | ${idle.cpu.serverPct.toFixed(0)}% (${idle.cpu.postgresPct.toFixed(0)}%) | ${book.cpu.serverPct.toFixed(0)}% (${book.cpu.postgresPct.toFixed(0)}%) | |`);
  console.log(`| server main thread: on a CPU / runnable, waiting for one | ${idle.cpu.mainThread.runPct.toFixed(0)}% / ${idle.cpu.mainThread.waitPct.toFixed(0)}% | ${book.cpu.mainThread.runPct.toFixed(0)}% / ${book.cpu.mainThread.waitPct.toFixed(0)}% | |`);
  console.log(`| rest of the machine, % of one core | ${idle.cpu.othersPct.toFixed(0)}% | ${book.cpu.othersPct.toFixed(0)}% | |`);
  console.log("");
  const p99 = book.exact.p99;
  console.log(`goal p99 < 250 ms with 100k accounts: ${ms(p99)} ms (${book.exact.n} ticks) — ${p99 < 250 ? "met" : "NOT met"}`);
  const cadence = Math.max(idle.deskMaxIn1s, book.deskMaxIn1s);
  console.log(`goal desk:delta ≤ 10/s: at most ${cadence} in any 1 s window — ${cadence <= 10 ? "met" : "NOT met"}`);

  bookCosts();
  const accounts = `${int(BOOK_ACCOUNTS)} accounts`;
  return [
    {
      benchmark: "tick-to-browser", measure: `tick → \`markets:delta\` received, shown exactly, ${accounts}, p50`, value: book.exact.p50, unit: "ms",
      baseline: { measure: "idle book, p50", value: idle.exact.p50 }, ratio: book.exact.p50 / idle.exact.p50,
    },
    {
      benchmark: "tick-to-browser", measure: `tick → \`markets:delta\` received, shown exactly, ${accounts}, p99`, value: p99, unit: "ms",
      baseline: { measure: "idle book, p99", value: idle.exact.p99 }, ratio: p99 / idle.exact.p99, goal: "< 250 ms", met: p99 < 250,
    },
    {
      benchmark: "tick-to-browser", measure: `ingest POST acknowledged, ${accounts}, p99`, value: book.ack.p99, unit: "ms",
      baseline: { measure: "idle book, p99", value: idle.ack.p99 }, ratio: book.ack.p99 / idle.ack.p99,
    },
    { benchmark: "tick-to-browser", measure: "`desk:delta` in any 1 s window, most", value: cadence, unit: "pushes", goal: "≤ 10", met: cadence <= 10 },
  ];
}

/**
 * What the server does besides pushing, with this book: the periodic desk and snapshot work and
 * the engine's change sets, timed in this process (CPU ms, so a busy machine does not inflate them)
 * with the server's own functions on the same demo population (same count and seed) in a LiveBook
 * as the engine worker holds it, marks 1% above the start prices (a queue of the size the live
 * run reaches). Each row names the thread it runs on in the server; "was" rows time the way the
 * server did it before (every account's row through postMessage; summary re-planning the queue).
 */
export function bookCosts(): void {
  const prices = new Map(seedMarkets.map((m) => [m.id, m.sim.startPrice]));
  const population = generateAccountPopulation({ markets: seedMarkets, prices, count: BOOK_ACCOUNTS, seed: SEED });
  const book = new LiveBook({ expectedAccounts: BOOK_ACCOUNTS, expectedPositions: population.positions.length });
  for (const m of seedMarkets) {
    book.upsertMarket({ id: m.id, lotSize: m.lotSize, tickSize: m.tickSize, liquidationFeeRate: m.liquidationFeeRate, tiers: m.tiers, liquidity: m.liquidity });
  }
  book.applyPrices(seedMarkets.map((m) => ({ marketId: m.id, price: m.sim.startPrice })));
  book.applyCollateral(population.collateral.map((c) => ({ accountId: c.accountId, amount: Number(c.amount) })));
  book.applyPositions(population.positions);
  book.applyPrices(seedMarkets.map((m) => ({ marketId: m.id, price: m.sim.startPrice * 1.01 })));
  book.drainChanges();
  book.queue.refresh();
  const cpuMs = (fn: () => unknown, runs: number, before: () => void = () => {}): number => {
    const samples: number[] = [];
    for (let i = 0; i < runs; i++) {
      before();
      const c0 = process.cpuUsage();
      fn();
      const c = process.cpuUsage(c0);
      samples.push((c.user + c.system) / 1000);
    }
    return summarize(samples).p50;
  };
  // One 50 ms turn of the feed: every market moves.
  let step = 0;
  const tick = () => {
    step += 1;
    book.applyPrices(seedMarkets.map((m) => ({ marketId: m.id, price: m.sim.startPrice * (1.01 + (step % 2) * 0.0005) })));
  };
  const NOW = Date.now();
  const snapshot = bookSnapshot(book);
  const runway = cpuMs(() => fundRunway(snapshot, 250_000), 2);
  const allRows = cpuMs(() => atRisk(book, { limit: Number.MAX_SAFE_INTEGER }), 3);
  const rows = atRisk(book, { limit: Number.MAX_SAFE_INTEGER });
  const rowsClone = cpuMs(() => structuredClone(rows), 3);
  const histogram = cpuMs(() => ratioHistogram(book), 7);
  tick();
  const changes = book.drainChanges();
  const changeClone = cpuMs(() => structuredClone(changes), 7);
  const rowsMs = cpuMs(() => marginRows(book, 20_000), 5, tick);
  tick();
  const columns = marginRows(book, 20_000);
  const pendingRows = book.changes.pendingRows();
  const columnsClone = cpuMs(() => structuredClone(columns, { transfer: [] }), 5);
  const summaryWas = cpuMs(() => { book.queue.refresh(); bookSummary(book); }, 5, tick);
  const summaryNow = cpuMs(() => bookSummary(book), 5, tick);
  const background = cpuMs(() => book.queue.refresh(200), 9, tick);
  book.queue.refresh();
  // What the worker answers the desk stream's `queueChanges(now, QUEUE_ROWS)` with.
  const published = new QueuePageDiff();
  const queueChanges = (reset = false) => published.next(book.queue.page(NOW, 0, QUEUE_ROWS), reset);
  queueChanges(true);
  const queueDiff = cpuMs(() => queueChanges(), 7, tick);
  tick();
  const diff = queueChanges()!;
  const fullPage = book.queue.page(NOW, 0, QUEUE_ROWS);
  const prefix = cpuMs(() => atRisk(book, { idPrefix: "acct-0001", limit: 100 }), 5);
  const firstPage = cpuMs(() => atRisk(book, { limit: 100 }), 5);
  const queue = bookSummary(book).queue.size;
  console.log("");
  console.log(`server-side work with ${int(BOOK_ACCOUNTS)} demo accounts (${int(population.positions.length)} positions, ${int(queue)} in the queue), CPU ms measured in this process:`);
  const share = (cpu: number, perS: number) => `${((cpu * perS) / 10).toFixed(1)}%`;
  console.log("| work (lib/server, lib/engine) | thread | how often | CPU ms each | share of one core |");
  console.log("|---|---|---|---:|---:|");
  console.log(`| fund runway: \`fundRunway\` over a book snapshot | engine's analytics thread | every 30 s | ${ms(runway, 0)} | ${share(runway, 1 / 30)} |`);
  console.log(`| was: every account's row, \`atRisk({ limit: ∞ })\` (histogram, snapshotter, \`?q=\`) | engine worker | 1/s + 1/5 s | ${ms(allRows, 0)} | ${share(allRows, 1.2)} |`);
  console.log(`| was: those ${int(rows.items.length)} rows through postMessage (structured clone, both halves) | worker + main | 1/s + 1/5 s | ${ms(rowsClone, 0)} | ${share(rowsClone, 1.2)} |`);
  console.log(`| histogram: \`ratioHistogram()\` over the kept sums | engine worker | 1/s | ${ms(histogram, 2)} | ${share(histogram, 1)} |`);
  console.log(`| a change set when every market moved (${int(changes.accounts)} accounts, counted, not named) through postMessage | worker + main | 20/s | ${ms(changeClone, 3)} | ${share(changeClone, 20)} |`);
  console.log(`| margin rows, at most 20,000 a flush (${int(columns.accountIds.length + pendingRows)} accounts changed): \`marginRows(20000)\` | engine worker | 1/5 s | ${ms(rowsMs, 1)} | ${share(rowsMs, 0.2)} |`);
  console.log(`| those columns through postMessage (typed arrays transferred, ids cloned) | worker + main | 1/5 s | ${ms(columnsClone, 1)} | ${share(columnsClone, 0.2)} |`);
  console.log(`| was: \`summary()\` re-planning every dirty member after a tick | engine worker | ≤ 10/s | ${ms(summaryWas, 1)} | ${share(summaryWas, 10)} |`);
  console.log(`| \`summary()\` after a tick (≤ 500 plans, then sums) | engine worker | ≤ 10/s | ${ms(summaryNow, 1)} | ${share(summaryNow, 10)} |`);
  console.log(`| background re-planning, one turn (200 plans) | engine worker | between turns | ${ms(background, 1)} | |`);
  console.log(`| queue rows changed: \`queueChanges(now, ${QUEUE_ROWS})\` after a tick | engine worker | ≤ 2/s | ${ms(queueDiff, 2)} | ${share(queueDiff, 2)} |`);
  console.log(`| \`GET /api/v1/accounts?q=acct-0001\`: \`atRisk({ idPrefix })\` | engine worker | per request | ${ms(prefix, 1)} | |`);
  console.log(`| \`GET /api/v1/accounts\`, first page of 100 by margin ratio | engine worker | per request | ${ms(firstPage, 1)} | |`);
  console.log(`queue part after a tick: ${int(diff.upserts.length)} upserts, ${diff.order ? "order" : "no order"}, ${int(JSON.stringify(diff).length)} bytes of JSON (the full page of ${fullPage.items.length}: ${int(JSON.stringify(fullPage).length)} bytes)`);
}

/** First start seeds the 100k demo accounts; the measured start has the simulator off on the same data. */
async function bookRun(): Promise<RunReport> {
  const t0 = performance.now();
  const seeded = await startAppServer({
    env: { LIQDESK_SIMULATOR: "on", LIQDESK_SIM_ACCOUNTS: String(BOOK_ACCOUNTS), LIQDESK_SIM_TICK_MS: String(TICK_MS) },
  });
  const dataDir = seeded.dataDir;
  try {
    try {
      await waitForSimulator(seeded, 600_000);
      await waitFor(`${BOOK_ACCOUNTS} accounts in the desk snapshot`, async () => {
        const s = await deskSnapshot(seeded);
        return s.summary.book.accounts >= BOOK_ACCOUNTS;
      }, 60_000, 1000);
    } finally {
      await seeded.stop();
    }
    const seedS = (performance.now() - t0) / 1000;
    const t1 = performance.now();
    return await withServer({ dataDir, env: { LIQDESK_SIMULATOR: "off", LIQDESK_SIM_ACCOUNTS: String(BOOK_ACCOUNTS) } }, async (server) => {
      const restartS = (performance.now() - t1) / 1000;
      return drive(server, `${BOOK_ACCOUNTS.toLocaleString("en-US")} accounts (LIQDESK_SIM_ACCOUNTS=${BOOK_ACCOUNTS})`,
        `first start + demo population ${seedS.toFixed(0)} s, restart with the simulator off (rebuild from PostgreSQL) ${restartS.toFixed(0)} s`);
    });
  } finally {
    removeDataDir(dataDir);
  }
}

export async function drive(server: AppServer, label: string, startupNote: string, measureMs = MEASURE_MS): Promise<RunReport> {
  const token = runScript(server, "token", ["create", "bench-tick"]).trim();
  const before = await deskSnapshot(server);

  // Start each market's path at its current mark (the demo population was placed around it).
  const desk = await signInDesk(server);
  const marketsRes = (await (await desk.fetch("/api/v1/markets")).json()) as MarketsResponse;
  const prices = new Map<string, number>();
  for (const m of seedMarkets) {
    const view = marketsRes.markets.find((x) => x.id === m.id);
    const last = view?.mark ?? view?.sources.map((s) => s.price).sort((a, b) => a - b)[Math.floor((view?.sources.length ?? 0) / 2)];
    prices.set(m.id, last ?? m.sim.startPrice);
  }
  const random = createPrng(SEED);

  // The receiving client.
  const pending = new Map<string, Pending[]>();
  const exact: number[] = [];
  const exactSentAt: number[] = [];
  const toPush: number[] = [];
  const pushToReceipt: number[] = [];
  const shownOrSuperseded: number[] = [];
  let superseded = 0;
  let measuring = false;
  let marketsDeltas = 0;
  let marketsGaps = 0;
  let lastMarketsSeq = -1;
  let deskDeltas = 0;
  let deskGaps = 0;
  let lastDeskSeq = -1;
  let deskBytes = 0;
  let liquidationSteps = 0;
  let queueSize = before.summary.book.queue.size;
  const deskTimes: number[] = [];

  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(server.url, {
    transports: ["websocket"], forceNew: true, reconnection: false, extraHeaders: { cookie: desk.cookie },
  });
  const ready = Promise.all([
    new Promise<void>((r) => socket.once("markets:snapshot", (s) => { lastMarketsSeq = s.seq; r(); })),
    new Promise<void>((r) => socket.once("desk:snapshot", (s) => { lastDeskSeq = s.seq; r(); })),
  ]);
  socket.on("markets:delta", (delta) => {
    const at = performance.now();
    if (lastMarketsSeq >= 0 && delta.seq !== lastMarketsSeq + 1 && measuring) marketsGaps += 1;
    lastMarketsSeq = delta.seq;
    if (measuring) marketsDeltas += 1;
    for (const u of delta.updates) {
      for (const s of u.sources) {
        const list = pending.get(`${s.source}|${u.marketId}`);
        if (!list) continue;
        let n = 0;
        while (n < list.length && list[n]!.ts <= s.ts) {
          const p = list[n]!;
          if (p.measured) {
            const latency = at - p.sentAt;
            shownOrSuperseded.push(latency);
            if (p.ts === s.ts) {
              exact.push(latency);
              exactSentAt.push(p.sentAt);
              toPush.push(delta.serverTime - epoch(p.sentAt));
              pushToReceipt.push(epoch(at) - delta.serverTime);
            } else superseded += 1;
          }
          n += 1;
        }
        if (n) list.splice(0, n);
      }
    }
  });
  socket.on("desk:delta", (delta) => {
    const at = performance.now();
    const gap = lastDeskSeq >= 0 && delta.seq !== lastDeskSeq + 1;
    lastDeskSeq = delta.seq;
    if (!measuring) return;
    if (gap) deskGaps += 1;
    deskDeltas += 1;
    deskTimes.push(at);
    deskBytes += JSON.stringify(delta).length;
    liquidationSteps += delta.events?.length ?? 0;
    if (delta.summary) queueSize = delta.summary.book.queue.size;
  });
  await ready;

  // The feed.
  let inFlight = 0;
  let ticksSent = 0;
  let ticksSkipped = 0;
  let ackErrors = 0;
  const acks: number[] = [];
  const lastTs = new Map<string, number>();
  const post = (source: string, sentMeasured: boolean) => {
    const ticks = seedMarkets.map((m) => {
      const key = `${source}|${m.id}`;
      const ts = Math.max(Date.now(), (lastTs.get(key) ?? 0) + 1);
      lastTs.set(key, ts);
      return { marketId: m.id, price: roundToTick(prices.get(m.id)! * (1 + SOURCE_NOISE * normal(random)), m.tickSize), ts };
    });
    const sentAt = performance.now();
    for (const t of ticks) {
      const key = `${source}|${t.marketId}`;
      let list = pending.get(key);
      if (!list) pending.set(key, (list = []));
      list.push({ ts: t.ts, sentAt, measured: sentMeasured });
    }
    if (sentMeasured) ticksSent += ticks.length;
    inFlight += 1;
    fetch(`${server.url}/api/v1/ingest/prices`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ source, ticks }),
    }).then(async (res) => {
      await res.arrayBuffer();
      if (res.status !== 200) ackErrors += 1;
      else if (sentMeasured) acks.push(performance.now() - sentAt);
    }, () => { ackErrors += 1; }).finally(() => { inFlight -= 1; });
  };

  const reads = Object.fromEntries(Object.keys(READS).map((k) => [k, [] as number[]])) as Record<ReadName, number[]>;
  const readBytes = Object.fromEntries(Object.keys(READS).map((k) => [k, 0])) as Record<ReadName, number>;
  let readsBusy = false;
  const timeReads = async () => {
    if (readsBusy) return;
    readsBusy = true;
    for (const [name, path] of Object.entries(READS) as [ReadName, string][]) {
      const t0 = performance.now();
      const res = await desk.fetch(path);
      const body = await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`GET ${path}: ${res.status}`);
      reads[name].push(performance.now() - t0);
      readBytes[name] = body.byteLength;
    }
    readsBusy = false;
  };
  let nextRead = 0;

  const loop = monitorEventLoopDelay({ resolution: 5 });
  const start = performance.now();
  const measureFrom = start + WARMUP_MS;
  const end = measureFrom + measureMs;
  let cpu: CpuWindow | null = null;
  let measureStartedAt = 0;
  for (let k = 0; ; k++) {
    const due = start + k * TICK_MS;
    if (due >= end) break;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    if (!measuring && due >= measureFrom) {
      measuring = true;
      measureStartedAt = performance.now();
      cpu = new CpuWindow(server.pid);
      loop.enable();
    }
    for (const m of seedMarkets) {
      prices.set(m.id, stepPrice(prices.get(m.id)!, TICK_MS, { ...PATH, annualVolatility: m.sim.annualVolatility }, random));
    }
    if (measuring && due >= nextRead) {
      nextRead = due + READ_EVERY_MS;
      void timeReads();
    }
    for (const source of SOURCES) {
      if (inFlight >= MAX_IN_FLIGHT) {
        if (measuring) ticksSkipped += seedMarkets.length;
        continue;
      }
      post(source, measuring);
    }
  }
  const measuredS = (performance.now() - measureStartedAt) / 1000;
  const sliceMs = (measuredS * 1000) / SLICES;
  const slices: number[][] = Array.from({ length: SLICES }, () => []);
  exact.forEach((l, i) => slices[Math.min(SLICES - 1, Math.floor((exactSentAt[i]! - measureStartedAt) / sliceMs))]!.push(l));
  const cpuUse = cpu!.end();
  loop.disable();
  // Let the last pushes arrive.
  await sleep(2000);
  measuring = false;
  socket.close();
  let neverSeen = 0;
  for (const list of pending.values()) neverSeen += list.filter((p) => p.measured).length;

  const after = await deskSnapshot(server);
  const intervals = deskTimes.slice(1).map((t, i) => t - deskTimes[i]!);
  let deskMaxIn1s = 0;
  for (let i = 0, j = 0; i < deskTimes.length; i++) {
    while (deskTimes[i]! - deskTimes[j]! >= 1000) j++;
    deskMaxIn1s = Math.max(deskMaxIn1s, i - j + 1);
  }
  return {
    label, startupNote,
    accounts: after.summary.book.accounts,
    positions: after.summary.book.positions,
    ticksSent, ticksSkipped,
    achievedPerMarketPerSource: ticksSent / seedMarkets.length / SOURCES.length / measuredS,
    exact: summarize(exact),
    shownOrSuperseded: summarize(shownOrSuperseded),
    superseded, neverSeen,
    ack: summarize(acks), ackErrors,
    marketsDeltas, marketsGaps, deskDeltas, deskGaps,
    deskPerSecond: deskDeltas / measuredS,
    deskMaxIn1s,
    deskMinGapMs: intervals.length ? Math.min(...intervals) : NaN,
    deskIntervals: summarize(intervals),
    deskMeanBytes: deskDeltas ? deskBytes / deskDeltas : 0,
    liquidationSteps, queueSize,
    cpu: cpuUse,
    toPush: summarize(toPush), pushToReceipt: summarize(pushToReceipt),
    sliceP99: slices.map((x) => summarize(x).p99), sliceS: sliceMs / 1000,
    clientLoopP99: loop.percentile(99) / 1e6, clientLoopMax: loop.max / 1e6,
    reads: Object.fromEntries(Object.entries(reads).map(([k, v]) => [k, summarize(v)])) as Record<ReadName, ReturnType<typeof summarize>>,
    readBytes,
  };
}

export function printRun(r: RunReport): void {
  console.log("");
  console.log(`-- ${r.label}: ${int(r.accounts)} accounts, ${int(r.positions)} positions; ${r.startupNote}`);
  console.log(`ticks sent ${int(r.ticksSent)} (${r.achievedPerMarketPerSource.toFixed(1)}/s per market per source), skipped ${int(r.ticksSkipped)} (over ${MAX_IN_FLIGHT} requests in flight), ingest errors ${r.ackErrors}`);
  console.log(`latency, shown exactly (${int(r.exact.n)} ticks): p50 ${ms(r.exact.p50)} ms, p95 ${ms(r.exact.p95)} ms, p99 ${ms(r.exact.p99)} ms, max ${ms(r.exact.max)} ms`);
  console.log(`latency, shown or superseded (${int(r.shownOrSuperseded.n)} ticks, ${int(r.superseded)} superseded by the next tick of their source before a push): p50 ${ms(r.shownOrSuperseded.p50)} ms, p99 ${ms(r.shownOrSuperseded.p99)} ms; never seen ${r.neverSeen}`);
  console.log(`ingest POST → 200: p50 ${ms(r.ack.p50)} ms, p99 ${ms(r.ack.p99)} ms, max ${ms(r.ack.max)} ms`);
  console.log(`markets:delta received ${int(r.marketsDeltas)}, seq gaps (skipped frames) ${r.marketsGaps}`);
  console.log(`desk:delta received ${int(r.deskDeltas)} = ${r.deskPerSecond.toFixed(1)}/s, at most ${r.deskMaxIn1s} in any 1 s, interval min ${ms(r.deskMinGapMs)} / p50 ${ms(r.deskIntervals.p50)} / max ${ms(r.deskIntervals.max)} ms, mean ${int(r.deskMeanBytes)} bytes of JSON, seq gaps ${r.deskGaps}; liquidation steps in them ${r.liquidationSteps}, queue size at end ${int(r.queueSize)}`);
  console.log(`  of which send → server push (serverTime): p50 ${ms(r.toPush.p50)} ms, p99 ${ms(r.toPush.p99)} ms; push → received: p50 ${ms(r.pushToReceipt.p50)} ms, p99 ${ms(r.pushToReceipt.p99)} ms`);
  console.log(`  p99 by ${r.sliceS.toFixed(0)} s slice of the window: ${r.sliceP99.map((x) => ms(x, 0)).join(" | ")} ms`);
  console.log(`${cpuLine(r.cpu)}; this client's event-loop delay p99 ${ms(r.clientLoopP99)} ms, max ${ms(r.clientLoopMax)} ms`);
  for (const name of Object.keys(READS) as ReadName[]) {
    console.log(`GET ${name}: ${r.reads[name].n} during the window, p50 ${ms(r.reads[name].p50)} ms, max ${ms(r.reads[name].max)} ms, ${int(r.readBytes[name])} bytes`);
  }
}
