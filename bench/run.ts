/**
 * Benchmark dispatcher: `npm run bench -- [NAME...] [--no-write]` runs `bench/<NAME>.ts` for each
 * name given, or every benchmark in bench/ when none is given. A benchmark module default-exports
 * an async function that runs it, prints its report and returns its headline figures as summary
 * rows (bench/lib/bench-summary.ts; one that returns nothing is run and left out of the summary,
 * with a warning). Benchmarks are never part of the test run.
 *
 * After each benchmark its record (rows, machine, load average before and after, commit, date,
 * command) replaces its previous one in docs/bench-results.json, and the summary block of
 * docs/PERFORMANCE.md is rendered again from that file; the other benchmarks' rows stay. With
 * `--no-write`, or in quick mode (LIQDESK_BENCH_QUICK=1 or LIQDESK_BENCH_SCALE below 1: numbers
 * that are not full-size), nothing is written and the block is printed instead.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  checkRows, emptyResults, mergeResults, parseResults, renderSummary, replaceSummaryBlock, stringifyResults, type BenchRecord, type BenchResults,
} from "./lib/bench-summary";
import { commitOf, loadAverage, machineInfo } from "./lib/machine-info";
import { isReducedRun } from "./lib/quick-mode";

const here = path.dirname(fileURLToPath(import.meta.url));
const RESULTS = path.join(here, "..", "docs", "bench-results.json");
const DOC = path.join(here, "..", "docs", "PERFORMANCE.md");

const available = readdirSync(here)
  .filter((f) => f.endsWith(".ts") && f !== "run.ts")
  .map((f) => f.slice(0, -3))
  .sort();

const args = process.argv.slice(2).filter((a) => a !== "--");
const options = args.filter((a) => a.startsWith("--"));
const unknownOptions = options.filter((o) => o !== "--no-write");
if (unknownOptions.length > 0) {
  console.error(`unknown option: ${unknownOptions.join(", ")} (options: --no-write)`);
  process.exit(2);
}
const requested = args.filter((a) => !a.startsWith("--"));
const unknown = requested.filter((n) => !available.includes(n));
if (unknown.length > 0) {
  console.error(`unknown benchmark: ${unknown.join(", ")} (available: ${available.join(", ")})`);
  process.exit(2);
}

const reduced = isReducedRun();
const write = !options.includes("--no-write") && !reduced;
const command = `npm run bench${requested.length > 0 ? ` -- ${requested.join(" ")}` : ""}`;
const machine = machineInfo();
const fresh: Record<string, BenchRecord> = {};
const failed: string[] = [];

function storedResults(): BenchResults {
  return existsSync(RESULTS) ? parseResults(readFileSync(RESULTS, "utf8")) : emptyResults();
}

/** Records what ran so far: the results file, then the block rendered from it. */
function record(): BenchResults {
  const results = mergeResults(storedResults(), fresh, available);
  if (write) {
    writeFileSync(RESULTS, stringifyResults(results));
    writeFileSync(DOC, replaceSummaryBlock(readFileSync(DOC, "utf8"), renderSummary(results)));
  }
  return results;
}

for (const name of requested.length > 0 ? requested : available) {
  const mod = (await import(pathToFileURL(path.join(here, `${name}.ts`)).href)) as { default?: () => Promise<unknown> | unknown };
  if (typeof mod.default !== "function") {
    console.error(`bench/${name}.ts has no default export to run`);
    process.exit(2);
  }
  console.log(`\n== bench ${name}`);
  const date = new Date().toISOString();
  const loadBefore = loadAverage();
  const t0 = performance.now();
  try {
    const result = await mod.default();
    if (result === undefined) {
      // A benchmark not yet returning its rows still runs; it is left out of the summary.
      console.warn(`\nbench/${name}.ts returned no summary rows: its figures are not in the summary (return SummaryRow[] from its default export)`);
      continue;
    }
    const rows = checkRows(name, result);
    fresh[name] = { run: { date, commit: commitOf(), command, machine, loadBefore, loadAfter: loadAverage(), seconds: Math.round(performance.now() - t0) / 1000 }, rows };
    record();
  } catch (err) {
    // One benchmark failing keeps the others' results; its previous record stays.
    failed.push(name);
    console.error(`\nbench ${name} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  }
}

const results = record();
console.log("");
if (write) {
  console.log(`recorded ${Object.keys(fresh).join(", ") || "nothing"} in ${path.relative(process.cwd(), RESULTS)} and its summary in ${path.relative(process.cwd(), DOC)}`);
} else {
  console.log(reduced
    ? "quick mode (LIQDESK_BENCH_QUICK=1 or LIQDESK_BENCH_SCALE < 1): these numbers are not recorded; the summary would read:"
    : "--no-write: nothing recorded; the summary would read:");
  console.log("");
  console.log(renderSummary(results));
}
if (failed.length > 0) {
  console.error(`\nfailed: ${failed.join(", ")}`);
  process.exit(1);
}
