/**
 * SQL baseline (docs/PERFORMANCE.md, "SQL baseline"): the margin figures of every account computed
 * by PostgreSQL in one query, as a desk might with a SQL dashboard, against the engine computing
 * the same in this process, on the same book: 1,000,000 positions in 250,000 accounts over 50
 * markets, the engine benchmark's calm book (bench/lib/book-generator.ts, seed 20240612, M00 held
 * by 50,000 accounts).
 *
 *   load      the book into the project's schema (every migration applied) on an embedded
 *             PostgreSQL in a temporary directory, with multi-row inserts; then read back as the
 *             server's start-up rebuild reads it (float8) into a `LiveBook` and into columns;
 *   agree     every account's equity, MM and status from SQL (numeric and float8) against the
 *             engine's (`LiveBook` rows and lib/risk `accountFiguresColumnar`), relative 1e-9 of
 *             the magnitude of the terms (equity: collateral + Σ|uPnL|), statuses equal; checked
 *             at the loaded marks and again after the ticks below;
 *   full      a full recompute: the query's status summary (every account's figures computed in
 *             the server, 5 rows back) in numeric and in float8, every account's row fetched into
 *             this process; against `accountFiguresColumnar` over all accounts and a `LiveBook`
 *             revaluation of all 50 markets (`applyPrices` with a new mark for each);
 *   one tick  M00's price moves: SQL updates `latest_prices` and must recompute everything; the
 *             engine's `setMark` revalues M00's 50,000 holders only (figures, statuses and queue
 *             membership of every account current afterwards).
 *
 * Runs of the engine and of SQL are interleaved round by round, so that both see the same host
 * load; medians of wall time and of CPU time (this process, plus the PostgreSQL backend for SQL:
 * host contention inflates CPU time far less than wall time) are reported with the ratio
 * engine / SQL. LIQDESK_BENCH_SCALE=0.1 (or quick mode, LIQDESK_BENCH_QUICK=1) runs a tenth of
 * the book (for trying it out); the report names the size.
 */
import { DEFAULT_RISK_PARAMS, accountFiguresColumnar, ACCOUNT_STATUSES } from "@/lib/risk";
import { accountRow, bookSummary, LiveBook } from "@/lib/engine";
import type pg from "pg";
import { generateBook, scaledBook, BOOK_SEED } from "./lib/book-generator";
import { readBookFromSql, type SqlBook } from "./lib/book-from-sql";
import { writeBookToSql, BENCH_PRICE_SOURCE } from "./lib/book-to-sql";
import { commitLine, int, machineLine, ms, procSample } from "./lib/live-server";
import { mulberry32 } from "./lib/prng";
import type { SummaryRow } from "./lib/bench-summary";
import { benchScale } from "./lib/quick-mode";
import { startScratchPostgres, withClient } from "./lib/scratch-postgres";
import {
  everyAccountSql, statusSummarySql, type SqlAccountRow, type SqlArithmetic,
} from "./lib/sql-account-figures";

const ROUNDS = 5;
const LOAD_BATCH = 10_000;
const TOLERANCE = 1e-9;
/** Sized for the data (~0.5 GB of tables): the defaults (128 MB, 4 MB) would spill the aggregation to disk. */
const PG_SETTINGS = { shared_buffers: "1GB", work_mem: "256MB" };
const SQL_PARAMS = [String(DEFAULT_RISK_PARAMS.backstopFraction), String(DEFAULT_RISK_PARAMS.warnRatio)];

const elapsed = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export default async function main(): Promise<SummaryRow[]> {
  const scale = benchScale();
  const size = scaledBook(scale);
  console.log(machineLine());
  console.log(commitLine());
  console.log(`data: ${int(size.positions)} positions, ${int(size.accounts)} accounts, ${size.markets} markets, seed ${BOOK_SEED} (the engine benchmark's calm book); M00 held by ${int(size.hotHolders)} accounts` +
    (scale !== 1 ? ` — LIQDESK_BENCH_SCALE=${scale}` : ""));

  const pgStart = process.hrtime.bigint();
  const db = await startScratchPostgres(PG_SETTINGS);
  const rows: SummaryRow[] = [];
  try {
    console.log(`PostgreSQL: embedded, temporary directory, every migration applied (${ms(elapsed(pgStart), 0)} ms); ${db.settings.join(", ")}`);
    await withClient(db.url, async (client) => {
      const t0 = process.hrtime.bigint();
      const written = await writeBookToSql(client, generateBook(0.025, size));
      const sizes = await client.query<{ rel: string; bytes: string }>(
        "SELECT relname AS rel, pg_total_relation_size(oid)::text AS bytes FROM pg_class WHERE relname IN ('positions', 'accounts') ORDER BY relname",
      );
      console.log(`load: ${int(written.rows)} positions written in ${ms(elapsed(t0) / 1000, 1)} s (multi-row inserts of 50,000, then VACUUM ANALYZE); ` +
        sizes.rows.map((r) => `${r.rel} ${(Number(r.bytes) / 2 ** 20).toFixed(0)} MB with indexes`).join(", "));

      const t1 = process.hrtime.bigint();
      const book = await readBookFromSql(client);
      const readMs = elapsed(t1);
      const t2 = process.hrtime.bigint();
      const live = loadLiveBook(book);
      console.log(`engine: book read back as the server's rebuild reads it in ${ms(readMs / 1000, 1)} s, loaded into a LiveBook in ${ms(elapsed(t2) / 1000, 1)} s`);

      console.log("");
      console.log("agreement at the loaded marks:");
      await checkAgreement(client, book, live);
      await explainLine(client);

      const full = await fullRecompute(client, book, live);
      const tick = await oneMarketMoves(client, book, live);

      console.log("");
      console.log("agreement after the ticks (both sides at the last marks):");
      await checkAgreement(client, book, live);

      console.log("");
      const header = (what: string) => {
        console.log(`| ${what} | wall ms | CPU ms | wall / SQL numeric | wall / SQL float8 | CPU / SQL numeric | CPU / SQL float8 |`);
        console.log("|---|---:|---:|---:|---:|---:|---:|");
      };
      const line = (name: string, x: Cost, numeric: Cost, float: Cost, digits: number) =>
        console.log(`| ${name} | ${ms(x.wall, x.wall < 10 ? 2 : 1)} | ${ms(x.cpu, x.cpu < 10 ? 2 : 1)} | ${(x.wall / numeric.wall).toPrecision(digits)} | ${(x.wall / float.wall).toPrecision(digits)} | ` +
          `${(x.cpu / numeric.cpu).toPrecision(digits)} | ${(x.cpu / float.cpu).toPrecision(digits)} |`);
      header(`full recompute, ${int(size.accounts)} accounts (median of ${ROUNDS} rounds)`);
      line("SQL, numeric (the columns as stored): status summary", full.sqlNumeric, full.sqlNumeric, full.sqlFloat, 3);
      line("SQL, float8 (inputs cast first): status summary", full.sqlFloat, full.sqlNumeric, full.sqlFloat, 3);
      line("SQL, numeric: every account's row fetched into Node", full.sqlRows, full.sqlNumeric, full.sqlFloat, 3);
      line("engine: `accountFiguresColumnar`, every account from scratch", full.columnar, full.sqlNumeric, full.sqlFloat, 3);
      line("engine: `LiveBook.applyPrices`, all 50 markets revalued", full.liveAll, full.sqlNumeric, full.sqlFloat, 3);
      console.log("");
      header(`one market's price moves (M00, ${int(size.hotHolders)} holders; median of ${ROUNDS} rounds)`);
      line("SQL, numeric: UPDATE latest_prices + status summary", tick.sqlNumeric, tick.sqlNumeric, tick.sqlFloat, 3);
      line("SQL, float8: UPDATE latest_prices + status summary", tick.sqlFloat, tick.sqlNumeric, tick.sqlFloat, 3);
      line("engine: `LiveBook.setMark` (holders revalued, statuses, queue membership)", tick.setMark, tick.sqlNumeric, tick.sqlFloat, 3);
      console.log("");
      const ratio = (x: Cost, sql: Cost) => `${(x.wall / sql.wall).toPrecision(2)} (CPU ${(x.cpu / sql.cpu).toPrecision(2)})`;
      console.log(`ratio engine / SQL float8, wall (CPU): full recompute ${ratio(full.columnar, full.sqlFloat)} with accountFiguresColumnar, ` +
        `${ratio(full.liveAll, full.sqlFloat)} with a LiveBook revaluation of every market; one market moves ${ratio(tick.setMark, tick.sqlFloat)}`);

      const positions = `${int(size.positions)} positions`;
      const sqlFloat = { measure: "PostgreSQL, one query (float8), wall", value: full.sqlFloat.wall };
      const sqlNumeric = { measure: "PostgreSQL, one query (numeric as stored), wall", value: full.sqlNumeric.wall };
      const sqlTick = { measure: "PostgreSQL, UPDATE latest_prices + the query (float8), wall", value: tick.sqlFloat.wall };
      const row = (measure: string, x: Cost, baseline: { measure: string; value: number }): SummaryRow =>
        ({ benchmark: "sql-baseline", measure, value: x.wall, unit: "ms", baseline, ratio: x.wall / baseline.value });
      rows.push(
        row(`full recompute of ${positions}: engine (accountFiguresColumnar), wall`, full.columnar, sqlFloat),
        row(`full recompute of ${positions}: engine (accountFiguresColumnar), wall, vs numeric`, full.columnar, sqlNumeric),
        row(`full recompute of ${positions}: engine (LiveBook, all 50 markets revalued), wall`, full.liveAll, sqlFloat),
        row(`one market moves (M00, ${int(size.hotHolders)} holders): engine (LiveBook.setMark), wall`, tick.setMark, sqlTick),
        {
          benchmark: "sql-baseline", measure: `full recompute of ${positions}: engine (accountFiguresColumnar), CPU`, value: full.columnar.cpu, unit: "ms",
          baseline: { measure: "PostgreSQL, one query (float8), CPU of its backend and this process", value: full.sqlFloat.cpu }, ratio: full.columnar.cpu / full.sqlFloat.cpu,
        },
      );
    });
  } finally {
    await db.stop();
  }
  return rows;
}

/** Loads the book through the batch API, as the start-up rebuild does (10,000 accounts per batch). */
function loadLiveBook(book: SqlBook): LiveBook {
  const n = book.accountIds.length;
  const live = new LiveBook({ expectedAccounts: n, expectedPositions: book.accountStart[n]! });
  for (const p of book.params) live.upsertMarket(p);
  live.applyPrices(book.params.map((p, m) => ({ marketId: p.id, price: book.marks[m]! })));
  for (let a0 = 0; a0 < n; a0 += LOAD_BATCH) {
    const a1 = Math.min(n, a0 + LOAD_BATCH);
    const entries = [];
    const updates = [];
    for (let a = a0; a < a1; a++) {
      const accountId = book.accountIds[a]!;
      entries.push({ accountId, amount: book.collateral[a]! });
      for (let i = book.accountStart[a]!; i < book.accountStart[a + 1]!; i++) {
        updates.push({ accountId, marketId: book.params[book.market[i]!]!.id, qty: book.qty[i]!, entryPrice: book.entryPrice[i]! });
      }
    }
    live.applyCollateral(entries);
    live.applyPositions(updates);
  }
  live.drainChanges();
  return live;
}

function figureColumns(n: number) {
  return { equity: new Float64Array(n), maintenanceMargin: new Float64Array(n), initialMargin: new Float64Array(n), status: new Uint8Array(n) };
}

const relDiff = (a: number, b: number, scale: number) => Math.abs(a - b) / Math.max(Math.abs(scale), Number.MIN_VALUE);

/**
 * Every account of SQL (numeric and float8) against the LiveBook's rows and a from-scratch
 * `accountFiguresColumnar` at the book's current marks; throws when any differs beyond 1e-9.
 */
async function checkAgreement(client: pg.Client, book: SqlBook, live: LiveBook): Promise<void> {
  const n = book.accountIds.length;
  const marks = Float64Array.from(book.params, (p) => live.markOf(p.id)!);
  const cols = figureColumns(n);
  accountFiguresColumnar(book.markets, marks, book, book, cols, live.params);
  const index = new Map(book.accountIds.map((id, a) => [id, a]));
  const problems: string[] = [];
  for (const t of ["numeric", "float8"] as SqlArithmetic[]) {
    const res = await client.query<SqlAccountRow>(everyAccountSql(t), SQL_PARAMS);
    if (res.rows.length !== n) problems.push(`SQL ${t} returned ${res.rows.length} accounts, the engine has ${n}`);
    let worstEquity = 0;
    let worstMm = 0;
    let worstColumnar = 0;
    let statusDiffs = 0;
    const byStatus = new Map<string, number>();
    let sqlMm = 0;
    for (const r of res.rows) {
      const a = index.get(r.id);
      const row = accountRow(live, r.id);
      if (a === undefined || row === null) {
        problems.push(`SQL ${t} has account ${r.id} that the engine does not`);
        continue;
      }
      byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + 1);
      sqlMm += r.mm;
      const eqScale = Math.abs(r.collateral) + r.upnl_abs;
      worstEquity = Math.max(worstEquity, relDiff(r.equity, row.equity ?? NaN, eqScale));
      worstMm = Math.max(worstMm, relDiff(r.mm, row.maintenanceMargin ?? NaN, r.mm));
      worstColumnar = Math.max(worstColumnar, relDiff(r.equity, cols.equity[a]!, eqScale), relDiff(r.mm, cols.maintenanceMargin[a]!, r.mm));
      if (r.status !== row.status || r.status !== ACCOUNT_STATUSES[cols.status[a]!]) statusDiffs++;
    }
    const engineCounts = bookSummary(live).byStatus;
    const engineMm = cols.maintenanceMargin.reduce((s, x) => s + x, 0);
    const counts = ACCOUNT_STATUSES.map((s) => `${s} ${int(byStatus.get(s) ?? 0)}/${int(engineCounts[s])}`).join(", ");
    console.log(`  SQL ${t} vs engine: accounts by status (SQL/engine) ${counts}; Σ MM ${engineMm.toExponential(9)} (engine), relative difference ${relDiff(sqlMm, engineMm, engineMm).toExponential(1)}; ` +
      `per account, largest relative difference: equity ${worstEquity.toExponential(1)}, MM ${worstMm.toExponential(1)} (LiveBook), ${worstColumnar.toExponential(1)} (columnar); statuses that differ: ${statusDiffs}`);
    if (worstEquity > TOLERANCE || worstMm > TOLERANCE || worstColumnar > TOLERANCE) problems.push(`SQL ${t}: figures differ by more than ${TOLERANCE}`);
    if (statusDiffs > 0) problems.push(`SQL ${t}: ${statusDiffs} statuses differ`);
    if (relDiff(sqlMm, engineMm, engineMm) > TOLERANCE) problems.push(`SQL ${t}: Σ MM differs by more than ${TOLERANCE}`);
  }
  if (problems.length > 0) throw new Error(`SQL and the engine disagree:\n  ${problems.join("\n  ")}`);
}

/** How PostgreSQL runs the summary query (parallel workers, time in the server). */
async function explainLine(client: pg.Client): Promise<void> {
  for (const t of ["numeric", "float8"] as SqlArithmetic[]) {
    const res = await client.query<{ "QUERY PLAN": [{ "Execution Time": number; Plan: object; JIT?: { Timing: { Total: number } } }] }>(
      `EXPLAIN (ANALYZE, FORMAT JSON) ${statusSummarySql(t)}`, SQL_PARAMS,
    );
    const plan = res.rows[0]!["QUERY PLAN"][0];
    let workers = 0;
    const walk = (node: Record<string, unknown>) => {
      if (typeof node["Workers Launched"] === "number") workers = Math.max(workers, node["Workers Launched"]);
      for (const child of (node.Plans as Record<string, unknown>[] | undefined) ?? []) walk(child);
    };
    walk(plan.Plan as Record<string, unknown>);
    console.log(`  EXPLAIN ANALYZE, summary query in ${t}: execution ${ms(plan["Execution Time"], 0)} ms in the server ` +
      `(${plan.JIT ? `JIT compilation ${ms(plan.JIT.Timing.Total, 0)} ms of it` : "no JIT"}), ${workers} parallel worker(s) launched besides the backend`);
  }
}

/** Wall time, and CPU time of this process plus (for SQL) of the PostgreSQL backend serving the query. */
interface Cost {
  wall: number;
  cpu: number;
}

async function measure(fn: () => unknown, backendPid: number | null = null): Promise<Cost> {
  const b0 = backendPid === null ? 0 : procSample(backendPid)!.cpuMs;
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  await fn();
  const wall = elapsed(t0);
  const c = process.cpuUsage(c0);
  const backend = backendPid === null ? 0 : procSample(backendPid)!.cpuMs - b0;
  return { wall, cpu: (c.user + c.system) / 1000 + backend };
}

type Costs<K extends string> = Record<K, Cost>;

function medians<K extends string>(runs: Costs<K>[]): Costs<K> {
  const keys = Object.keys(runs[0]!) as K[];
  return Object.fromEntries(keys.map((k) => [k, { wall: median(runs.map((r) => r[k].wall)), cpu: median(runs.map((r) => r[k].cpu)) }])) as Costs<K>;
}

async function backendPidOf(client: pg.Client): Promise<number> {
  return (await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]!.pid;
}

/** Full recompute, SQL and engine interleaved round by round (one warm-up round first). */
async function fullRecompute(client: pg.Client, book: SqlBook, live: LiveBook) {
  const backend = await backendPidOf(client);
  const cols = figureColumns(book.accountIds.length);
  const rand = mulberry32(BOOK_SEED + 7);
  const base = Float64Array.from(book.params, (p) => live.markOf(p.id)!);
  const runs: Costs<"sqlNumeric" | "sqlFloat" | "sqlRows" | "columnar" | "liveAll">[] = [];
  for (let round = 0; round <= ROUNDS; round++) {
    const sqlNumeric = await measure(() => client.query(statusSummarySql("numeric"), SQL_PARAMS), backend);
    const sqlFloat = await measure(() => client.query(statusSummarySql("float8"), SQL_PARAMS), backend);
    const sqlRows = await measure(() => client.query(everyAccountSql("numeric"), SQL_PARAMS), backend);
    const marks = base.map((p) => p * (1 + 0.004 * (rand() - 0.5)));
    const columnar = await measure(() => accountFiguresColumnar(book.markets, marks, book, book, cols, live.params));
    const ticks = book.params.map((p, m) => ({ marketId: p.id, price: marks[m]! }));
    const liveAll = await measure(() => live.applyPrices(ticks));
    live.drainChanges();
    if (round > 0) runs.push({ sqlNumeric, sqlFloat, sqlRows, columnar, liveAll }); // round 0 warms up
  }
  // Back to the marks PostgreSQL holds, for the tick rounds and the agreement check.
  live.applyPrices(book.params.map((p, m) => ({ marketId: p.id, price: base[m]! })));
  live.drainChanges();
  return medians(runs);
}

/** M00's price moves: SQL updates its latest price and recomputes; the engine revalues M00's holders. */
async function oneMarketMoves(client: pg.Client, book: SqlBook, live: LiveBook) {
  const backend = await backendPidOf(client);
  const id = book.params[0]!.id;
  const p0 = live.markOf(id)!;
  const rand = mulberry32(BOOK_SEED + 8);
  const setPrice = (price: number) =>
    client.query("UPDATE latest_prices SET price = $1, ts = now(), seq = seq + 1 WHERE market_id = $2 AND source = $3", [String(price), id, BENCH_PRICE_SOURCE]);
  const move = (t: SqlArithmetic, price: number) =>
    measure(async () => {
      await setPrice(price);
      await client.query(statusSummarySql(t), SQL_PARAMS);
    }, backend);
  const runs: Costs<"sqlNumeric" | "sqlFloat" | "setMark">[] = [];
  for (let round = 0; round <= ROUNDS; round++) {
    const price = () => p0 * (1 + 0.004 * (rand() - 0.5));
    const sqlNumeric = await move("numeric", price());
    const sqlFloat = await move("float8", price());
    const last = price();
    const setMark = await measure(() => live.setMark(id, last));
    live.drainChanges();
    await setPrice(last); // both sides end the round at the same mark
    if (round > 0) runs.push({ sqlNumeric, sqlFloat, setMark });
  }
  return medians(runs);
}
