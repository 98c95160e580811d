/**
 * Ingest over HTTP with persistence (docs/PERFORMANCE.md, "Ingest"): the real server as `npm start`
 * runs it (tests/support/app-server.ts: production build, embedded PostgreSQL in a temporary data
 * directory; simulator off, so that every price is ours, and execution off, so that the book only
 * changes through ingest), fed through the ingest API with a bearer token, against a naive
 * baseline in the same run: one Prisma call per row, the same rows, the same database.
 *
 *   collateral  a deposit for each account of the book, batches of 10,000 (one feed);
 *   positions   baseline: the first rows of the book, `prisma.position.create` per row, one at a
 *               time and 4 at a time, then deleted; API: every position of the book
 *               (POSITIONS rows) in batches of 10,000, one feed (the ordering of a source's batches
 *               is kept by posting them in order), then again (positions and cursors emptied) as 4
 *               feeds side by side, the accounts split between them; the best of the two counts;
 *   updates     every position's next state (a fill: one lot more, seq + 1) through the API,
 *               1 feed, then the state after that (seq + 2) in 4 feeds; then the baseline,
 *               `prisma.position.update` per row of the next states of the first rows;
 *   prices      baseline: the first ticks of the feed, `prisma.latestPrice.upsert` per tick, one at
 *               a time and 4 at a time, then deleted; API: 8 sources side by side, each posting its
 *               batches in order (one request in flight per source), at two batch sizes. A tick
 *               counts once the engine values the book at it: the feed's last tick of every market
 *               is a price the stream never had, and the clock stops when an account holding every
 *               market (`bench-probe`) is valued at all of them (GET /api/v1/accounts/:id, the
 *               engine's view) — ingest → committed → engine applied.
 */
import { seedMarkets } from "@/lib/sim/seed-markets";
import { createPrismaClient, type PrismaClient } from "@/lib/server/db/prisma-client";
import { runScript, type AppServer } from "../tests/support/app-server";
import { signInDesk } from "../tests/support/sign-in";
import { createPosition, runNaive, updatePosition, upsertLatestPrice, type BaselineRun } from "./lib/naive-baseline";
import { postBatch, runLanes, waitForEngineMarks, type Batch, type LaneRun } from "./lib/ingest-http";
import { CpuWindow, cpuLine, commitLine, int, machineLine, ms, summarize, withServer, type CpuUse } from "./lib/live-server";
import { explainFailure } from "./lib/server-failure";
import { feedRows, priceFeed, TickClock } from "./lib/price-feed";
import { chunks, generateVenueBook, positionUpdates } from "./lib/venue-book";
import type { SummaryRow } from "./lib/bench-summary";
import { quickOr } from "./lib/quick-mode";

const SEED = 20261123;
/** Quick mode (LIQDESK_BENCH_QUICK=1): a tenth of the rows and of the price batches. */
const POSITIONS = quickOr(200_000, 20_000);
const BATCH = 10_000;
const BASELINE_ROWS = quickOr(10_000, 1_000);
const BASELINE_CONCURRENCY = 4;
/** Position feeds side by side in the API run that is not 1 feed: as many as the baseline has requests in flight. */
const FEEDS = BASELINE_CONCURRENCY;
type PositionRow = ReturnType<typeof positionUpdates>[number];
const SOURCES = ["venue-a", "venue-b", "venue-c", "venue-d", "venue-e", "venue-f", "venue-g", "venue-h"];
/** Price runs: ticks per request, and batches per source. */
const PRICE_RUNS = [
  { ticksPerBatch: 1_000, batchesPerSource: quickOr(50, 5) },
  { ticksPerBatch: 10_000, batchesPerSource: quickOr(5, 1) },
];
const PROBE = "bench-probe";
const POSITION_SOURCE = "venue-a";

export default async function main(): Promise<SummaryRow[]> {
  console.log(machineLine());
  console.log(commitLine());
  // The feed stamps each source's ticks of a market 1 ms apart (TickClock): at this rate they run a few
  // seconds ahead of the clock, which the default maxClockSkewMs (5 s) would refuse.
  return await withServer({ env: { LIQDESK_SIMULATOR: "off", LIQDESK_SIM_ACCOUNTS: "0", LIQDESK_EXECUTION: "off", LIQDESK_MAX_CLOCK_SKEW_MS: "600000" } }, async (server) => {
    const token = runScript(server, "token", ["create", "bench-ingest"]).trim();
    const prisma = createPrismaClient(server.databaseUrl, { maxConnections: BASELINE_CONCURRENCY });
    try {
      return await explainFailure(server, () => run(server, token, prisma));
    } finally {
      await prisma.$disconnect();
    }
  });
}

async function run(server: AppServer, token: string, prisma: PrismaClient): Promise<SummaryRow[]> {
  const book = generateVenueBook(POSITIONS, SEED);
  console.log(`book: ${int(book.positions.length)} positions in ${int(book.deposits.length)} accounts over ${seedMarkets.length} markets (seed ${SEED})`);
  console.log("");
  console.log("| run | rows | rows/s | request p50 ms | request p99 ms |");
  console.log("|---|---:|---:|---:|---:|");

  // Collateral: every account exists, with its deposit.
  const collateral = await timed(server, () => runLanes(server.url, token, "collateral",
    [chunks(book.deposits, BATCH).map((entries) => batch({ entries }, entries.length))]));
  printLanes(`collateral, batches of ${int(BATCH)}, 1 feed`, collateral.run);

  // Positions: baseline on the first rows, which are then deleted, then the API on all of them.
  const baselineRows = book.positions.slice(0, BASELINE_ROWS);
  const posBaseline: BaselineRun[] = [];
  for (const concurrency of [1, BASELINE_CONCURRENCY]) {
    await clear(prisma, "positions");
    posBaseline.push(await runNaive(baselineRows, concurrency, createPosition(prisma, POSITION_SOURCE)));
    printBaseline(`positions baseline: \`prisma.position.create\` per row, ${concurrency} in flight`, posBaseline.at(-1)!);
  }
  await clear(prisma, "positions");
  // The API with 1 feed, then with FEEDS feeds side by side (the accounts split between them, each
  // feed's batches in order, as a venue partitioning its feed would), after emptying what the first
  // run wrote; the best of the two against the best of the baseline's.
  const positions = await timed(server, () => runLanes(server.url, token, "positions", positionLanes(book.positions, 1)));
  const posRate1 = printLanes(`positions (new), batches of ${int(BATCH)}, 1 feed`, positions.run);
  await clear(prisma, "positions");
  await prisma.$executeRawUnsafe("DELETE FROM ingest_cursors WHERE kind = 'position'");
  const positionsN = await timed(server, () => runLanes(server.url, token, "positions", positionLanes(book.positions, FEEDS)));
  const posRateN = printLanes(`positions (new), batches of ${int(BATCH)}, ${FEEDS} feeds`, positionsN.run);
  const posRate = Math.max(posRate1, posRateN);

  // Position updates: every position's next state through the API, 1 feed, then the state after
  // that in FEEDS feeds; then the baseline on the first rows, with their next states again (it
  // writes each row's source and seq, so it must come after the API's, which would otherwise find
  // those rows already at their newer seq and rightly ignore them).
  const updates = positionUpdates(book.positions);
  const updated = await timed(server, () => runLanes(server.url, token, "positions", positionLanes(updates, 1)));
  const updRate1 = printLanes(`position updates, batches of ${int(BATCH)}, 1 feed`, updated.run);
  const updatesN = positionUpdates(updates);
  const updatedN = await timed(server, () => runLanes(server.url, token, "positions", positionLanes(updatesN, FEEDS)));
  const updRateN = printLanes(`position updates, batches of ${int(BATCH)}, ${FEEDS} feeds`, updatedN.run);
  const updRate = Math.max(updRate1, updRateN);
  let baselineUpdates = updatesN.slice(0, BASELINE_ROWS);
  const updBaseline: BaselineRun[] = [];
  for (const concurrency of [1, BASELINE_CONCURRENCY]) {
    baselineUpdates = positionUpdates(baselineUpdates);
    updBaseline.push(await runNaive(baselineUpdates, concurrency, updatePosition(prisma, POSITION_SOURCE)));
    printBaseline(`position updates baseline: \`prisma.position.update\` per row, ${concurrency} in flight`, updBaseline.at(-1)!);
  }

  // The probe: one lot in every market, ample collateral.
  await postBatch(server.url, token, "collateral", JSON.stringify({
    entries: [{ accountId: PROBE, amount: "100000000", kind: "deposit", idempotencyKey: `bench:${PROBE}` }],
  }));
  await postBatch(server.url, token, "positions", JSON.stringify({
    source: "bench-probe", updates: seedMarkets.map((m) => ({ accountId: PROBE, marketId: m.id, qty: m.lotSize, entryPrice: m.sim.startPrice, seq: 1 })),
  }));

  // Prices: baseline on the first ticks of the first run's feed, then deleted; then the API.
  const tickRows = feedRows({ sources: SOURCES, count: BASELINE_ROWS, seed: SEED + 1, startTs: Date.now() });
  const priceBaseline: BaselineRun[] = [];
  for (const concurrency of [1, BASELINE_CONCURRENCY]) {
    await clear(prisma, "latest_prices");
    priceBaseline.push(await runNaive(tickRows, concurrency, upsertLatestPrice(prisma)));
    printBaseline(`prices baseline: \`prisma.latestPrice.upsert\` per tick, ${concurrency} in flight`, priceBaseline.at(-1)!);
  }
  await clear(prisma, "latest_prices");
  const desk = await signInDesk(server); // the account view needs a signed-in desk user
  const clock = new TickClock();
  const priceRuns: { ticksPerBatch: number; http: LaneRun; applied: number; cpu: CpuUse }[] = [];
  for (const [i, cfg] of PRICE_RUNS.entries()) {
    const feed = priceFeed({ sources: SOURCES, ...cfg, seed: SEED + 1 + i, clock });
    const cpu = new CpuWindow(server.pid);
    const http = await runLanes(server.url, token, "prices", feed.lanes);
    const appliedAt = await waitForEngineMarks(desk, PROBE, feed.finalMarks, 60_000);
    if (http.accepted + http.alreadyApplied !== feed.ticks) throw new Error(`prices: ${feed.ticks} ticks sent, ${http.accepted} accepted`);
    printLanes(`prices, batches of ${int(cfg.ticksPerBatch)}, ${SOURCES.length} sources, committed (answered 200)`, http);
    const applied = (http.items / (appliedAt - http.startedAt)) * 1000;
    console.log(`| prices, batches of ${int(cfg.ticksPerBatch)}, through the engine (last tick applied ${ms(appliedAt - http.endedAt)} ms after the last 200) | ${int(http.items)} | ${int(applied)} | | |`);
    priceRuns.push({ ticksPerBatch: cfg.ticksPerBatch, http, applied, cpu: cpu.end() });
  }

  console.log("");
  const bestPos = Math.max(...posBaseline.map((b) => b.rowsPerS));
  const bestPrice = Math.max(...priceBaseline.map((b) => b.rowsPerS));
  const bestUpd = Math.max(...updBaseline.map((b) => b.rowsPerS));
  console.log(`new positions: API ${int(posRate)} rows/s vs best baseline ${int(bestPos)} rows/s = ${(posRate / bestPos).toFixed(1)}x (goal ≥ 20x)`);
  console.log(`position updates: API ${int(updRate)} rows/s vs best baseline ${int(bestUpd)} rows/s = ${(updRate / bestUpd).toFixed(1)}x (goal ≥ 20x)`);
  for (const p of priceRuns) {
    console.log(`prices, batches of ${int(p.ticksPerBatch)}: ${int(p.applied)} ticks/s through the engine vs best baseline ${int(bestPrice)} rows/s = ${(p.applied / bestPrice).toFixed(1)}x (goals ≥ 20x, ≥ 50,000 ticks/s)`);
  }
  console.log("");
  console.log(`collateral: ${cpuLine(collateral.cpu)}`);
  console.log(`new positions, 1 feed: ${cpuLine(positions.cpu)}`);
  console.log(`new positions, ${FEEDS} feeds: ${cpuLine(positionsN.cpu)}`);
  console.log(`position updates, 1 feed: ${cpuLine(updated.cpu)}`);
  console.log(`position updates, ${FEEDS} feeds: ${cpuLine(updatedN.cpu)}`);
  for (const p of priceRuns) console.log(`prices ${int(p.ticksPerBatch)}: ${cpuLine(p.cpu)}`);

  const baseline = (what: string, rowsPerS: number) => ({ measure: `${what} per row, best of 1 and ${BASELINE_CONCURRENCY} in flight`, value: rowsPerS });
  const rows: SummaryRow[] = [
    {
      benchmark: "ingest", measure: `new positions through the API (batches of ${int(BATCH)}, committed; best of 1 and ${FEEDS} feeds)`, value: posRate, unit: "rows/s",
      baseline: baseline("`prisma.position.create`", bestPos), ratio: posRate / bestPos, goal: "≥ 20x the baseline", met: posRate / bestPos >= 20,
    },
    {
      benchmark: "ingest", measure: `position updates through the API (batches of ${int(BATCH)}, committed; best of 1 and ${FEEDS} feeds)`, value: updRate, unit: "rows/s",
      baseline: baseline("`prisma.position.update`", bestUpd), ratio: updRate / bestUpd, goal: "≥ 20x the baseline", met: updRate / bestUpd >= 20,
    },
  ];
  for (const p of priceRuns) {
    const ratio = p.applied / bestPrice;
    rows.push({
      benchmark: "ingest", measure: `prices, batches of ${int(p.ticksPerBatch)}, ${SOURCES.length} sources, through the engine`, value: p.applied, unit: "ticks/s",
      baseline: baseline("`prisma.latestPrice.upsert`", bestPrice), ratio, goal: "≥ 20x the baseline and ≥ 50,000 ticks/s", met: ratio >= 20 && p.applied >= 50_000,
    });
  }
  return rows;
}

/** Position batches of one source in `feeds` lanes, each account's rows in one lane (in order), BATCH rows a request. */
function positionLanes(rows: readonly PositionRow[], feeds: number): Batch[][] {
  const laneOf = new Map<string, number>();
  const split: PositionRow[][] = Array.from({ length: feeds }, () => []);
  for (const row of rows) {
    let lane = laneOf.get(row.accountId);
    if (lane === undefined) laneOf.set(row.accountId, (lane = laneOf.size % feeds));
    split[lane]!.push(row);
  }
  return split.map((lane) => chunks(lane, BATCH).map((updates) => batch({ source: POSITION_SOURCE, updates }, updates.length)));
}

function batch(body: unknown, items: number): Batch {
  return { body: JSON.stringify(body), items };
}

async function timed(server: AppServer, fn: () => Promise<LaneRun>): Promise<{ run: LaneRun; cpu: CpuUse }> {
  const cpu = new CpuWindow(server.pid);
  const run = await fn();
  return { run, cpu: cpu.end() };
}

/** Prints a table row for an API run; returns its rows/s. */
function printLanes(what: string, r: LaneRun): number {
  if (r.accepted + r.alreadyApplied !== r.items) throw new Error(`${what}: ${r.items} sent, ${r.accepted} accepted`);
  const l = summarize(r.latenciesMs);
  const rate = (r.items / (r.endedAt - r.startedAt)) * 1000;
  const retried = r.retries ? ` (${r.retries} sent again after a reset connection)` : "";
  console.log(`| ${what}${retried} | ${int(r.items)} | ${int(rate)} | ${ms(l.p50)} | ${ms(l.p99)} |`);
  return rate;
}

function printBaseline(what: string, b: BaselineRun): void {
  const l = summarize(b.latenciesMs);
  console.log(`| ${what} | ${int(b.rows)} | ${int(b.rowsPerS)} | ${ms(l.p50, 2)} (per row) | ${ms(l.p99, 2)} (per row) |`);
}

/** Empties a table the baseline wrote (the server never heard of those rows) and vacuums it. */
async function clear(prisma: PrismaClient, table: "positions" | "latest_prices"): Promise<void> {
  await prisma.$executeRawUnsafe(`DELETE FROM ${table}`);
  await prisma.$executeRawUnsafe(`VACUUM ANALYZE ${table}`);
}

