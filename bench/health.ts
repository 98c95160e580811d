/**
 * `/api/health` while the engine revalues 1,000,000 positions (docs/PERFORMANCE.md, "Health under
 * load"): the real server as `npm start` runs it (tests/support/app-server.ts: production build,
 * simulator and execution off) on a PostgreSQL that holds the engine benchmark's venue book
 * (bench/lib/book-generator.ts: 1,000,000 positions in 250,000 accounts over 50 markets, written by
 * bench/lib/book-to-sql.ts into a scratch embedded PostgreSQL); the server rebuilds the book from
 * it at start, as it would after a restart.
 *
 * Windows alternate, same server, same process:
 *   idle      no feed: the engine holds the book and does nothing (the baseline);
 *   revaluing a feed posts a batch with a new mark for every one of the 50 markets every 100 ms
 *             (±0.2% random steps), so that the engine worker revalues the whole book back to back
 *             (a full revaluation takes longer than 100 ms; the worker coalesces what queued).
 * In each window one client asks `GET /api/health` every 20 ms, one request at a time, and times
 * each answer. Reported: p50 / p99 / max per kind of window, the ratio revaluing ÷ idle, the
 * engine's revaluation count and time from `/api/metrics` (proof that it was revaluing), and the
 * CPU of the server's threads.
 *
 * LIQDESK_BENCH_SCALE=0.1 (or quick mode, LIQDESK_BENCH_QUICK=1) runs a tenth of the book (to try
 * it out; quick mode with windows of 5 s); the report names the size.
 */
import { generateBook, scaledBook, VENUE_BOOK } from "./lib/book-generator";
import { writeBookToSql } from "./lib/book-to-sql";
import { startScratchPostgres, withClient } from "./lib/scratch-postgres";
import { CpuWindow, cpuLine, commitLine, int, machineLine, ms, sleep, summarize, withServer } from "./lib/live-server";
import { mulberry32 } from "./lib/prng";
import { runScript, type AppServer } from "../tests/support/app-server";
import type { SummaryRow } from "./lib/bench-summary";
import { benchScale, quickOr } from "./lib/quick-mode";

const WINDOW_MS = quickOr(30_000, 5_000);
const ROUNDS = 2;
const PROBE_EVERY_MS = 20;
const FEED_EVERY_MS = 100;
const METRICS_TOKEN = "bench-health-metrics-token-0123456789";

interface WindowResult {
  kind: "idle" | "revaluing";
  latencies: number[];
  failures: number;
  revaluations: number;
  revaluationSeconds: number;
  feedBatches: number;
  cpu: string;
}

export default async function main(): Promise<SummaryRow[]> {
  const scale = benchScale();
  const size = scale === 1 ? VENUE_BOOK : scaledBook(scale);
  console.log(machineLine());
  console.log(commitLine());
  console.log(`book: ${int(size.positions)} positions in ${int(size.accounts)} accounts over ${size.markets} markets (scale ${scale})`);

  const pg = await startScratchPostgres({ shared_buffers: "512MB" });
  process.env.DATABASE_URL = pg.url; // for the server and the token CLI
  let rows: SummaryRow[] = [];
  try {
    const book = generateBook(0.025, size);
    const t0 = performance.now();
    await withClient(pg.url, (client) => writeBookToSql(client, book));
    console.log(`book written to PostgreSQL in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const marketIds = book.params.map((p) => p.id);
    const env = {
      DATABASE_URL: pg.url, LIQDESK_SIMULATOR: "off", LIQDESK_SIM_ACCOUNTS: "0", LIQDESK_EXECUTION: "off",
      LIQDESK_METRICS_TOKEN: METRICS_TOKEN,
    };
    const started = performance.now();
    await withServer({ env }, async (server) => {
      console.log(`server ready (book rebuilt from PostgreSQL) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      const token = runScript(server, "token", ["create", "bench-health"]).trim(); // DATABASE_URL from process.env
      const results: WindowResult[] = [];
      const marks = Float64Array.from(book.marks);
      const rand = mulberry32(20261204);
      await measureWindow(server, "idle", null); // warm-up: Next compiles and caches the route
      for (let round = 0; round < ROUNDS; round++) {
        results.push(await measureWindow(server, "idle", null));
        results.push(await measureWindow(server, "revaluing", { token, marketIds, marks, rand }));
      }
      rows = report(results, size.positions);
    });
  } finally {
    delete process.env.DATABASE_URL;
    await pg.stop();
  }
  return rows;
}

async function measureWindow(
  server: AppServer,
  kind: WindowResult["kind"],
  feed: { token: string; marketIds: string[]; marks: Float64Array; rand: () => number } | null,
): Promise<WindowResult> {
  const before = await revaluationMetrics(server);
  const cpu = new CpuWindow(server.pid);
  const end = performance.now() + WINDOW_MS;
  let feedBatches = 0;
  const feeding = feed ? (async () => {
    let next = performance.now();
    while (performance.now() < end) {
      const ts = Date.now();
      const ticks = feed.marketIds.map((marketId, i) => {
        feed.marks[i] = feed.marks[i]! * (1 + (feed.rand() - 0.5) * 0.004);
        return { marketId, price: feed.marks[i]!, ts };
      });
      const res = await fetch(`${server.url}/api/v1/ingest/prices`, {
        method: "POST",
        headers: { authorization: `Bearer ${feed.token}`, "content-type": "application/json" },
        body: JSON.stringify({ source: "bench-feed", ticks }),
      });
      if (res.status !== 200) throw new Error(`price ingest answered ${res.status}: ${await res.text()}`);
      feedBatches++;
      next += FEED_EVERY_MS;
      await sleep(Math.max(0, next - performance.now()));
    }
  })() : Promise.resolve();
  const latencies: number[] = [];
  let failures = 0;
  let next = performance.now();
  while (performance.now() < end) {
    const t = performance.now();
    const res = await fetch(`${server.url}/api/health`);
    await res.arrayBuffer();
    if (res.status === 200) latencies.push(performance.now() - t);
    else failures++;
    next += PROBE_EVERY_MS;
    await sleep(Math.max(0, next - performance.now()));
  }
  await feeding;
  const use = cpu.end();
  const after = await revaluationMetrics(server);
  return {
    kind, latencies, failures, feedBatches,
    revaluations: after.count - before.count,
    revaluationSeconds: after.sum - before.sum,
    cpu: cpuLine(use),
  };
}

/** The engine's revaluation histogram's count and sum, from the server's own metrics. */
async function revaluationMetrics(server: AppServer): Promise<{ count: number; sum: number }> {
  const res = await fetch(`${server.url}/api/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  if (res.status !== 200) throw new Error(`/api/metrics answered ${res.status}`);
  const text = await res.text();
  const read = (name: string) => {
    const line = text.split("\n").find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
    return line ? Number(line.slice(line.lastIndexOf(" ") + 1)) : 0;
  };
  return { count: read("liqdesk_engine_revaluation_seconds_count"), sum: read("liqdesk_engine_revaluation_seconds_sum") };
}

function report(results: WindowResult[], positions: number): SummaryRow[] {
  console.log(`\n${WINDOW_MS / 1000} s windows, GET /api/health every ${PROBE_EVERY_MS} ms (one at a time); revaluing: 50 marks every ${FEED_EVERY_MS} ms`);
  console.log("| window | requests | failed | p50 ms | p99 ms | max ms | feed batches | engine revaluations | revaluation time, s |");
  console.log("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
  for (const [i, r] of results.entries()) {
    const s = summarize(r.latencies);
    console.log(`| ${i + 1}. ${r.kind} | ${int(s.n)} | ${r.failures} | ${ms(s.p50, 2)} | ${ms(s.p99, 2)} | ${ms(s.max, 2)} | ${r.feedBatches} | ${r.revaluations} | ${r.revaluationSeconds.toFixed(1)} |`);
  }
  for (const r of results) console.log(`  ${r.kind}: ${r.cpu}`);
  const all = (kind: WindowResult["kind"]) => summarize(results.filter((r) => r.kind === kind).flatMap((r) => r.latencies));
  const idle = all("idle");
  const busy = all("revaluing");
  console.log(`\nall windows: idle p50 ${ms(idle.p50, 2)} / p99 ${ms(idle.p99, 2)} ms; revaluing p50 ${ms(busy.p50, 2)} / p99 ${ms(busy.p99, 2)} ms; ` +
    `p99 revaluing ÷ idle ${(busy.p99 / idle.p99).toFixed(2)}x`);
  console.log(`goal: p99 < 50 ms while the engine revalues 1,000,000 positions: ${busy.p99 < 50 ? "met" : "NOT met"} (${ms(busy.p99, 2)} ms)`);
  if (results.some((r) => r.failures > 0)) console.log("some health requests failed (non-200): see the table");
  return [{
    benchmark: "health", measure: `GET /api/health while the engine revalues ${int(positions)} positions, p99`, value: busy.p99, unit: "ms",
    baseline: { measure: "the same server idle, p99", value: idle.p99 }, ratio: busy.p99 / idle.p99, goal: "< 50 ms", met: busy.p99 < 50,
  }];
}
