/**
 * Finding any account (issue 17 item 6) on the venue's book: a `LiveBook` with 250,000 accounts and
 * 1,000,000 positions (bench/lib/book-generator.ts, the engine benchmark's book), in process, no
 * worker and no server. Measured, median of several runs after warm-up:
 *
 *   search  `searchAccountIds` (the engine's half of `GET /api/v1/search`: every id scanned,
 *           case-insensitive, the best 20 kept) for an exact id, a prefix matching ~1,100 ids, a
 *           part matching ~2,500 and a part matching none; against the list's existing id filter
 *           (`atRisk` with `idPrefix`, case-sensitive prefix, first 20 by margin ratio) and a naive
 *           scan that lower-cases every id per query, on the same book;
 *   sort    the first page (100 rows) of `atRisk` over the whole book sorted by each numeric column
 *           either way, against the default sort (margin ratio, riskiest first) that the list had
 *           before.
 *
 * Run: `npm run --silent bench -- account-search`.
 */
import os from "node:os";
import { atRisk, LiveBook, searchAccountIds } from "@/lib/engine";
import { AT_RISK_SORTS } from "@/lib/contracts/book-views";
import { generateBook, scaledBook, VENUE_BOOK } from "./lib/book-generator";
import { commitLine, machineLine } from "./lib/live-server";
import type { SummaryRow } from "./lib/bench-summary";
import { quickOr } from "./lib/quick-mode";
import { fmt, time } from "./lib/timing";
import { loadGeneratedBook } from "./lib/load-book";

const SIZE = quickOr(VENUE_BOOK, scaledBook(0.1));
const BATCH = 10_000;
const RUNS = quickOr(15, 5);

function load(): LiveBook {
  const book = loadGeneratedBook(generateBook(0.025, SIZE), BATCH);
  book.drainChanges();
  return book;
}

export default async function main(): Promise<SummaryRow[]> {
  console.log(machineLine());
  console.log(`measured at ${commitLine()}`);
  console.log(`load average at the start: ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  const started = performance.now();
  const book = load();
  console.log(`book: ${book.ids.length.toLocaleString("en-US")} accounts, loaded in ${fmt((performance.now() - started) / 1000, 1)} s`);
  const rows: SummaryRow[] = [];

  // Search: the ids are `acct-<n>`; the first search lower-cases them once (kept beside the book).
  searchAccountIds(book, "warm-up", 20);
  const last = SIZE.accounts - 1;
  const queries: [string, string][] = [
    ["exact id", `ACCT-${last}`],
    ["prefix", `acct-${String(last).slice(0, 3)}`],
    ["part", String(last).slice(-2)],
    ["no match", "zz-none"],
  ];
  console.log("");
  console.log(`| query | matches | searchAccountIds ms (median of ${RUNS}) | atRisk idPrefix ms | naive lower-case scan ms |`);
  console.log("|---|---:|---:|---:|---:|");
  for (const [name, q] of queries) {
    const matches = searchAccountIds(book, q, 20).total;
    const search = time(() => searchAccountIds(book, q, 20), { runs: RUNS });
    const prefix = time(() => atRisk(book, { idPrefix: q.toLowerCase(), limit: 20 }), { runs: RUNS });
    const naive = time(() => book.ids.filter((id) => id.toLowerCase().includes(q.toLowerCase())).slice(0, 20), { runs: RUNS });
    console.log(`| ${name} \`${q}\` | ${matches} | ${fmt(search.medianMs, 2)} | ${fmt(prefix.medianMs, 2)} | ${fmt(naive.medianMs, 2)} |`);
    rows.push({
      benchmark: "account-search", measure: `searchAccountIds over ${book.ids.length.toLocaleString("en-US")} ids, ${name} (${matches} matches), median`,
      value: search.medianMs, unit: "ms", baseline: { measure: "atRisk with idPrefix, first 20 (the list's id filter), median", value: prefix.medianMs },
      ratio: search.medianMs / prefix.medianMs, goal: "< 50 ms", met: search.medianMs < 50,
    });
  }

  // Sort: the first page over every account, by each column.
  const base = time(() => atRisk(book, { limit: 100 }), { runs: RUNS });
  console.log("");
  console.log(`| sort | first 100 rows of ${book.ids.length.toLocaleString("en-US")} ms (median of ${RUNS}) | ÷ marginRatio:desc (${fmt(base.medianMs, 1)} ms) |`);
  console.log("|---|---:|---:|");
  let worst = 0;
  let worstSort = "";
  for (const sort of AT_RISK_SORTS) {
    const t = time(() => atRisk(book, { sort, limit: 100 }), { runs: RUNS });
    console.log(`| ${sort} | ${fmt(t.medianMs, 1)} | ${fmt(t.medianMs / base.medianMs, 2)} |`);
    if (t.medianMs > worst) {
      worst = t.medianMs;
      worstSort = sort;
    }
  }
  rows.push({
    benchmark: "account-search", measure: `atRisk first 100 of ${book.ids.length.toLocaleString("en-US")}, slowest sort (${worstSort}), median`,
    value: worst, unit: "ms", baseline: { measure: "marginRatio:desc (the list's sort before), median", value: base.medianMs },
    ratio: worst / base.medianMs, goal: "< 250 ms", met: worst < 250,
  });
  console.log(`load average at the end: ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  return rows;
}
