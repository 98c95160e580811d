/**
 * Live engine benchmark (docs/PERFORMANCE.md, "Engine"): a `LiveBook` loaded with 1,000,000
 * positions in 250,000 accounts over 50 markets (fixed seed; market M00 held by exactly 50,000
 * accounts drawn at random, so that its holders are spread over the book as they would be),
 * measuring
 *
 *   load       time to apply every position and collateral through `applyPositions` /
 *              `applyCollateral` in batches of 10,000 (the start-up rebuild path), and the resident
 *              memory it adds (RSS delta after a full GC; goal < 1.5 GB);
 *   tick       one mark on M00 (50,000 holders) to an updated queue: `setMark` (revaluation by
 *              deltas, statuses, queue membership), then `queue.page(now, 0, 50)` (re-order, plan
 *              the dirty entries of the first page); p50/p99 over 300 ticks (goal p99 < 20 ms),
 *              against a from-scratch lib/risk `accountFiguresColumnar` over the same 50,000
 *              accounts (all their positions); in a calm book (~2.5% of accounts in the queue) and
 *              a stressed one (~13%). Changes are drained every 50 ms as the worker does (timed
 *              apart);
 *   eager      the same ticks followed by `queue.refresh` (every dirty member re-planned), for scale:
 *              what planning the whole dirty set on every tick would cost;
 *   summary    `summary()` after a tick (it plans every dirty member);
 *   ticks/s    random ticks over all 50 markets (±0.2%), applied one at a time, then as a steady
 *              feed at 50,000 to 1,000,000 ticks/s where each turn applies every tick that arrived
 *              while the previous turn ran (what the worker does with the messages queued behind
 *              it; `applyPrices` keeps the last mark of each market of a batch) and changes are
 *              drained every 50 ms: whether the book keeps up, and the lag from a tick's arrival to
 *              its revaluation (goal: well over 50,000 ticks/s);
 *   worker     the same book in the engine worker (`EngineClient`): load time through the
 *              protocol, then a 50,000 ticks/s feed sent as a batch every 10 ms while the main
 *              thread asks for the summary, the first queue page and an account view every 100 ms:
 *              the main thread's event-loop delay (what HTTP latency would see), the round trip of
 *              those queries and of the price batches, and the change sets pushed back.
 */
import os from "node:os";
import { readFileSync } from "node:fs";
import { monitorEventLoopDelay } from "node:perf_hooks";
import v8 from "node:v8";
import vm from "node:vm";
import { bookSummary, EngineClient, LiveBook, type PriceUpdate } from "@/lib/engine";
import { accountFiguresColumnar, DEFAULT_RISK_PARAMS } from "@/lib/risk";
import { BOOK_SEED, bookAccountId, generateBook, scaledBook, VENUE_BOOK, type GeneratedBook } from "./lib/book-generator";
import { mulberry32 } from "./lib/prng";
import { fmt, perSecond } from "./lib/timing";
import type { SummaryRow } from "./lib/bench-summary";
import { quickOr } from "./lib/quick-mode";
import { loadGeneratedBook } from "./lib/load-book";

const BATCH = 10_000;
const NOW = 1_700_000_000_000;

type Input = GeneratedBook;
/** Quick mode (LIQDESK_BENCH_QUICK=1): a tenth of the book, feeds of 1 s. */
const SIZE = quickOr(VENUE_BOOK, scaledBook(0.1));
const { markets: MARKETS, accounts: ACCOUNTS, positions: POSITIONS, hotHolders: HOT_HOLDERS } = SIZE;
const FEED_SECONDS = quickOr(5, 1);
const SEED = BOOK_SEED;
/** 1,000,000 positions, 1–7 per account; M00 held by 50,000 accounts; `atRisk` at or below maintenance. */
const generateInput = (atRisk: number): Input => generateBook(atRisk, SIZE);
const accountId = bookAccountId;

/** Loads the input through the batch API, as the start-up rebuild from Postgres would. */
function load(input: Input): LiveBook {
  return loadGeneratedBook(input, BATCH);
}

const gc: () => void = (() => {
  v8.setFlagsFromString("--expose-gc");
  return vm.runInNewContext("gc") as () => void;
})();

function settledMemory(): NodeJS.MemoryUsage {
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage();
}

const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
const MB = (bytes: number) => `${fmt(bytes / 2 ** 20, 0)} MB`;

function percentile(samples: number[], p: number): number {
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

/** The 50,000 M00 holders' positions (all of them) as columns, for the from-scratch baseline. */
function holderColumns(input: Input) {
  const holders: number[] = [];
  for (let a = 0; a < ACCOUNTS; a++) if (input.hot[a]) holders.push(a);
  let rows = 0;
  for (const a of holders) rows += input.accountStart[a + 1]! - input.accountStart[a]!;
  const accountStart = new Int32Array(HOT_HOLDERS + 1);
  const collateral = new Float64Array(HOT_HOLDERS);
  const market = new Int32Array(rows);
  const qty = new Float64Array(rows);
  const entryPrice = new Float64Array(rows);
  let r = 0;
  holders.forEach((a, h) => {
    accountStart[h] = r;
    collateral[h] = input.collateral[a]!;
    for (let i = input.accountStart[a]!; i < input.accountStart[a + 1]!; i++, r++) {
      market[r] = input.market[i]!;
      qty[r] = input.qty[i]!;
      entryPrice[r] = input.entryPrice[i]!;
    }
  });
  accountStart[HOT_HOLDERS] = r;
  return { positions: { market, qty, entryPrice }, accounts: { accountStart, collateral }, rows };
}

interface TickReport {
  queue: number;
  p50: number;
  p99: number;
  max: number;
  setMarkP50: number;
  afterP50: number;
  drainP50: number;
  planned: number;
  baselineP50: number;
}

/**
 * What follows each tick on M00 (timed with it):
 * - `page`: `queue.page(now, 0, 50)` (re-order, plan the dirty entries of the first page);
 * - `eager`: `queue.refresh()` (plan every dirty member), then the same;
 * - `summary`: `summary()` (plans every dirty member, sums).
 * `drainChanges` runs after a tick once 50 ms of tick time have passed since the last (timed apart).
 */
type TickMode = "page" | "eager" | "summary";

/** Ticks on M00 with what follows them, interleaved with the from-scratch baseline. */
function tickBench(book: LiveBook, input: Input, mode: TickMode, ticks = 300): TickReport {
  const rand = mulberry32(SEED + 1);
  const p0 = input.marks[0]!;
  const id = input.params[0]!.id;
  const cols = holderColumns(input);
  const out = {
    equity: new Float64Array(HOT_HOLDERS),
    maintenanceMargin: new Float64Array(HOT_HOLDERS),
    initialMargin: new Float64Array(HOT_HOLDERS),
    status: new Uint8Array(HOT_HOLDERS),
  };
  const marks = input.marks.slice();
  const total: number[] = [];
  const setMark: number[] = [];
  const after: number[] = [];
  const drains: number[] = [];
  const baseline: number[] = [];
  let sinceDrain = 0;
  bookSummary(book);
  book.drainChanges();
  const planned0 = book.queue.planned;
  for (let t = 0; t < ticks + 20; t++) {
    const price = p0 * (1 + 0.004 * (rand() - 0.5));
    const s0 = process.hrtime.bigint();
    book.setMark(id, price);
    const s1 = process.hrtime.bigint();
    if (mode === "eager") book.queue.refresh();
    if (mode === "summary") bookSummary(book);
    else book.queue.page(NOW, 0, 50);
    const s2 = process.hrtime.bigint();
    sinceDrain += Number(s2 - s0) / 1e6;
    if (sinceDrain >= 50) {
      const d0 = process.hrtime.bigint();
      book.drainChanges();
      if (t >= 20) drains.push(ms(d0));
      sinceDrain = 0;
    }
    marks[0] = price;
    const b0 = process.hrtime.bigint();
    accountFiguresColumnar(input.markets, marks, cols.positions, cols.accounts, out, DEFAULT_RISK_PARAMS);
    const b = ms(b0);
    if (t < 20) continue; // warm-up
    setMark.push(Number(s1 - s0) / 1e6);
    after.push(Number(s2 - s1) / 1e6);
    total.push(Number(s2 - s0) / 1e6);
    baseline.push(b);
  }
  return {
    queue: book.queue.length,
    p50: percentile(total, 50),
    p99: percentile(total, 99),
    max: Math.max(...total),
    setMarkP50: percentile(setMark, 50),
    afterP50: percentile(after, 50),
    drainP50: drains.length > 0 ? percentile(drains, 50) : 0,
    planned: (book.queue.planned - planned0) / (ticks + 20),
    baselineP50: percentile(baseline, 50),
  };
}

/** Random ticks over every market, one at a time, each followed by a drain. */
function oneByOne(book: LiveBook, input: Input, seconds: number) {
  const rand = mulberry32(SEED + 2);
  let count = 0;
  let revalued = 0;
  const start = process.hrtime.bigint();
  while (ms(start) < seconds * 1000) {
    const m = Math.floor(rand() * MARKETS);
    revalued += book.setMark(input.params[m]!.id, input.marks[m]! * (1 + 0.004 * (rand() - 0.5)));
    book.drainChanges();
    count++;
  }
  const elapsed = ms(start);
  return { ticksPerSecond: perSecond(count, elapsed), positionsPerSecond: perSecond(revalued, elapsed) };
}

/**
 * A steady feed of `rate` random ticks/s for `seconds`: each turn takes every tick that has
 * arrived since the last turn as one batch (`applyPrices`), changes are drained every 50 ms.
 * Lag of a batch: from the arrival of its oldest tick to the end of its turn.
 */
function steadyFeed(book: LiveBook, input: Input, rate: number, seconds: number) {
  const rand = mulberry32(SEED + rate);
  const lags: number[] = [];
  const sizes: number[] = [];
  let applied = 0;
  let revalued = 0;
  let lastDrain = 0;
  const start = process.hrtime.bigint();
  for (;;) {
    const t = ms(start);
    if (t >= seconds * 1000) break;
    const due = Math.floor((t / 1000) * rate);
    if (due === applied) continue;
    const ticks: { marketId: string; price: number }[] = new Array(due - applied);
    for (let i = 0; i < ticks.length; i++) {
      const m = Math.floor(rand() * MARKETS);
      ticks[i] = { marketId: input.params[m]!.id, price: input.marks[m]! * (1 + 0.004 * (rand() - 0.5)) };
    }
    revalued += book.applyPrices(ticks);
    const done = ms(start);
    lags.push(done - (applied / rate) * 1000);
    sizes.push(ticks.length);
    applied = due;
    if (done - lastDrain >= 50) {
      book.drainChanges();
      lastDrain = done;
    }
  }
  const elapsed = ms(start);
  return {
    applied: perSecond(applied, elapsed),
    turns: perSecond(sizes.length, elapsed),
    meanBatch: applied / sizes.length,
    lagP50: percentile(lags, 50),
    lagP99: percentile(lags, 99),
    positionsPerSecond: perSecond(revalued, elapsed),
  };
}

/** The book in the engine worker under a steady feed, with the main thread asking queries. */
async function workerBench(input: Input, rate = 50_000, seconds = 8) {
  const client = await EngineClient.start({ markets: input.params, expectedAccounts: ACCOUNTS, expectedPositions: POSITIONS });
  let changeSets = 0;
  let changedIds = 0;
  client.onChanges((c) => {
    changeSets++;
    changedIds += c.accounts;
  });
  const t0 = process.hrtime.bigint();
  await client.applyPrices(input.params.map((p, m) => ({ marketId: p.id, price: input.marks[m]! })));
  for (let a0 = 0; a0 < ACCOUNTS; a0 += BATCH) {
    const a1 = Math.min(ACCOUNTS, a0 + BATCH);
    const entries = [];
    const updates = [];
    for (let a = a0; a < a1; a++) {
      entries.push({ accountId: accountId(a), amount: input.collateral[a]! });
      for (let i = input.accountStart[a]!; i < input.accountStart[a + 1]!; i++) {
        updates.push({ accountId: accountId(a), marketId: input.params[input.market[i]!]!.id, qty: input.qty[i]!, entryPrice: input.entryPrice[i]! });
      }
    }
    await client.applyCollateral(entries);
    await client.applyPositions(updates);
  }
  await client.summary();
  const loadMs = ms(t0);

  const rand = mulberry32(SEED + 3);
  const delay = monitorEventLoopDelay({ resolution: 1 });
  const priceRtt: number[] = [];
  const queryRtt: Record<"summary" | "queue" | "accountView", number[]> = { summary: [], queue: [], accountView: [] };
  const pending: Promise<unknown>[] = [];
  let sent = 0;
  changeSets = 0;
  changedIds = 0;
  delay.enable();
  const start = process.hrtime.bigint();
  let nextQuery = 0;
  while (ms(start) < seconds * 1000) {
    const t = ms(start);
    const due = Math.floor((t / 1000) * rate);
    if (due > sent) {
      const ticks: PriceUpdate[] = [];
      for (let i = sent; i < due; i++) {
        const m = Math.floor(rand() * MARKETS);
        ticks.push({ marketId: input.params[m]!.id, price: input.marks[m]! * (1 + 0.004 * (rand() - 0.5)) });
      }
      sent = due;
      const s0 = process.hrtime.bigint();
      pending.push(client.applyPrices(ticks).then(() => priceRtt.push(ms(s0))));
    }
    if (t >= nextQuery) {
      nextQuery = t + 100;
      const timed = <T>(name: keyof typeof queryRtt, p: Promise<T>) => {
        const s0 = process.hrtime.bigint();
        pending.push(p.then(() => queryRtt[name].push(ms(s0))));
      };
      timed("summary", client.summary());
      timed("queue", client.queue(NOW, 0, 50));
      timed("accountView", client.accountView(accountId(Math.floor(rand() * ACCOUNTS)), NOW));
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const elapsed = ms(start);
  await Promise.all(pending);
  delay.disable();
  const stats = await client.stats();
  await client.close();
  return {
    loadMs,
    ticksPerSecond: perSecond(sent, elapsed),
    loopP50: delay.percentile(50) / 1e6,
    loopP99: delay.percentile(99) / 1e6,
    loopMax: delay.max / 1e6,
    priceP50: percentile(priceRtt, 50),
    priceP99: percentile(priceRtt, 99),
    query: Object.fromEntries(Object.entries(queryRtt).map(([k, v]) => [k, { p50: percentile(v, 50), p99: percentile(v, 99) }])) as Record<
      keyof typeof queryRtt,
      { p50: number; p99: number }
    >,
    changeSetsPerSecond: perSecond(changeSets, elapsed),
    idsPerSet: changeSets > 0 ? changedIds / changeSets : 0,
    workerHeap: stats.heapUsed,
  };
}

function cpuModel(): string {
  try {
    const line = readFileSync("/proc/cpuinfo", "utf8").split("\n").find((l) => l.startsWith("model name"));
    return line ? line.split(":")[1]!.trim() : os.cpus()[0]?.model ?? "unknown";
  } catch {
    return os.cpus()[0]?.model ?? "unknown";
  }
}

function printTick(name: string, mode: TickMode, r: TickReport): void {
  console.log(
    `| ${name} | ${mode} | ${r.queue.toLocaleString("en-US")} | ${fmt(r.planned, 0)} | ${fmt(r.setMarkP50, 2)} | ${fmt(r.afterP50, 2)} | ` +
      `${fmt(r.p50, 2)} | **${fmt(r.p99, 2)}** | ${fmt(r.max, 2)} | ${fmt(r.drainP50, 2)} | ${fmt(r.baselineP50, 2)} | ${fmt(r.p50 / r.baselineP50, 2)}x |`,
  );
}

export default async function main(): Promise<SummaryRow[]> {
  console.log(`machine: ${os.cpus().length} CPUs (nproc ${os.availableParallelism()}), ${cpuModel()}, node ${process.version}`);
  console.log(`data: ${POSITIONS.toLocaleString("en-US")} positions, ${ACCOUNTS.toLocaleString("en-US")} accounts, ${MARKETS} markets, seed ${SEED}; M00 held by ${HOT_HOLDERS.toLocaleString("en-US")} accounts`);

  let input: Input | null = generateInput(0.025);
  const before = settledMemory();
  const t0 = process.hrtime.bigint();
  let book: LiveBook | null = load(input);
  const loadMs = ms(t0);
  const t1 = process.hrtime.bigint();
  book.drainChanges();
  const first = book.queue.refresh();
  const planMs = ms(t1);
  const after = settledMemory();
  const summary = bookSummary(book);
  console.log("");
  console.log(`load: ${fmt(loadMs, 0)} ms (${fmt(perSecond(POSITIONS, loadMs) / 1e6, 2)} M positions/s), then first drain + plans for ${first.toLocaleString("en-US")} queued accounts: ${fmt(planMs, 0)} ms`);
  console.log(
    `memory: RSS +${MB(after.rss - before.rss)} (goal < 1.5 GB), heap +${MB(after.heapUsed - before.heapUsed)}, ` +
      `typed arrays ${MB(book.typedBytes())} (capacity), external+arrayBuffers +${MB(after.arrayBuffers - before.arrayBuffers)}`,
  );
  console.log(`statuses: ${Object.entries(summary.byStatus).map(([s, n]) => `${s} ${n.toLocaleString("en-US")}`).join(", ")}; queue ${summary.queue.size.toLocaleString("en-US")}`);

  console.log("");
  console.log("| book | after each tick | queue | plans/tick | setMark p50 | then p50 | total p50 | total p99 | max | drain p50 | from-scratch p50 | p50 / from-scratch |");
  console.log("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
  const calm = tickBench(book, input, "page");
  printTick("calm", "page", calm);
  printTick("calm", "eager", tickBench(book, input, "eager"));
  printTick("calm", "summary", tickBench(book, input, "summary"));

  const single = oneByOne(book, input, quickOr(3, 1));
  console.log(
    `one tick at a time (random market, ~20,000 holders each): ${fmt(single.ticksPerSecond, 0)} ticks/s, ` +
      `${fmt(single.positionsPerSecond / 1e6, 1)} M positions revalued/s`,
  );
  console.log("");
  console.log("| steady feed, ticks/s offered | ticks/s applied | turns/s | mean batch | lag p50 ms | lag p99 ms | positions revalued/s |");
  console.log("|---:|---:|---:|---:|---:|---:|---:|");
  const feeds: { rate: number; applied: number; lagP99: number }[] = [];
  for (const rate of [50_000, 200_000, 1_000_000]) {
    const r = steadyFeed(book, input, rate, FEED_SECONDS);
    feeds.push({ rate, applied: r.applied, lagP99: r.lagP99 });
    console.log(
      `| ${rate.toLocaleString("en-US")} | ${fmt(r.applied, 0)} | ${fmt(r.turns, 1)} | ${fmt(r.meanBatch, 0)} | ${fmt(r.lagP50, 0)} | ${fmt(r.lagP99, 0)} | ${fmt(r.positionsPerSecond / 1e6, 1)} M |`,
    );
  }

  book = null;
  gc();
  const w = await workerBench(input, 50_000, quickOr(8, 2));
  console.log("");
  console.log(
    `worker: load through the protocol ${fmt(w.loadMs, 0)} ms; feed ${fmt(w.ticksPerSecond, 0)} ticks/s (a batch every 10 ms), ` +
      `change sets ${fmt(w.changeSetsPerSecond, 1)}/s with ${fmt(w.idsPerSet, 0)} account ids each; worker heap ${MB(w.workerHeap)}`,
  );
  console.log("");
  console.log("| main thread, while the worker absorbs the feed | p50 ms | p99 ms |");
  console.log("|---|---:|---:|");
  console.log(`| event-loop delay (max ${fmt(w.loopMax, 1)} ms) | ${fmt(w.loopP50, 2)} | ${fmt(w.loopP99, 2)} |`);
  console.log(`| price batch round trip (applied, answered) | ${fmt(w.priceP50, 1)} | ${fmt(w.priceP99, 1)} |`);
  for (const [name, r] of Object.entries(w.query)) console.log(`| ${name} round trip | ${fmt(r.p50, 1)} | ${fmt(r.p99, 1)} |`);
  input = null;
  gc();
  const stressedInput = generateInput(0.13);
  const stressed = load(stressedInput);
  stressed.drainChanges();
  stressed.queue.refresh();
  console.log("");
  for (const mode of ["page", "eager", "summary"] as const) printTick("stressed (13% at or below maintenance)", mode, tickBench(stressed, stressedInput, mode));
  console.log("");
  console.log(`tick p99 (calm) = ${fmt(calm.p99, 2)} ms (goal < 20 ms): ${calm.p99 < 20 ? "met" : "NOT met"}`);
  console.log(`RSS delta = ${MB(after.rss - before.rss)} (goal < 1.5 GB): ${after.rss - before.rss < 1.5 * 2 ** 30 ? "met" : "NOT met"}`);

  const fromScratch = { measure: `accountFiguresColumnar from scratch over M00's ${HOT_HOLDERS.toLocaleString("en-US")} holders, p50`, value: calm.baselineP50 };
  const top = feeds[feeds.length - 1]!;
  return [
    { benchmark: "engine", measure: `tick on M00 to the first queue page (calm book), p50`, value: calm.p50, unit: "ms", baseline: fromScratch, ratio: calm.p50 / calm.baselineP50 },
    { benchmark: "engine", measure: "tick on M00 to the first queue page (calm book), p99", value: calm.p99, unit: "ms", goal: "< 20 ms", met: calm.p99 < 20 },
    { benchmark: "engine", measure: `RSS added by a book of ${POSITIONS.toLocaleString("en-US")} positions`, value: (after.rss - before.rss) / 2 ** 20, unit: "MB", goal: "< 1.5 GB", met: after.rss - before.rss < 1.5 * 2 ** 30 },
    { benchmark: "engine", measure: "ticks applied one at a time", value: single.ticksPerSecond, unit: "ticks/s" },
    { benchmark: "engine", measure: `steady feed of ${top.rate.toLocaleString("en-US")} ticks/s offered: applied`, value: top.applied, unit: "ticks/s", goal: "well over 50,000 ticks/s", met: top.applied > 50_000 },
    { benchmark: "engine", measure: `steady feed of ${top.rate.toLocaleString("en-US")} ticks/s offered: lag p99`, value: top.lagP99, unit: "ms" },
    { benchmark: "engine", measure: "main thread event-loop delay with the book in the worker, p99", value: w.loopP99, unit: "ms" },
  ];
}
