/**
 * The generated summary of docs/PERFORMANCE.md, pure: each benchmark's headline figures (the rows its
 * default export returns), the stored results (docs/bench-results.json) they are merged into, and
 * the markdown block rendered from them between the two markers. `bench/run.ts` does the I/O.
 */

/** One headline figure of a benchmark, with the baseline measured in the same run when there is one. */
export interface SummaryRow {
  /** The benchmark's name: its file under bench/ without `.ts`. */
  benchmark: string;
  measure: string;
  /** NaN when the run produced no figure (stored as null). */
  value: number;
  unit: string;
  /** What the figure is compared with, measured in the same process and run, in the same unit. */
  baseline?: { measure: string; value: number };
  /** How the figure compares with the baseline, as the benchmark defines it (usually value ÷ baseline). */
  ratio?: number;
  /** The goal, in words ("< 20 ms", "≥ 20x the baseline"). */
  goal?: string;
  met?: boolean;
}

export interface MachineInfo {
  nproc: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
}

/** Where, when and how a benchmark ran. */
export interface RunInfo {
  /** ISO 8601, UTC: when the benchmark started. */
  date: string;
  /** Short hash, with "+ uncommitted changes" when the tree differed from it. */
  commit: string;
  command: string;
  machine: MachineInfo;
  /** 1, 5 and 15 minute load averages just before and just after the benchmark. */
  loadBefore: number[];
  loadAfter: number[];
  seconds: number;
}

export interface BenchRecord {
  run: RunInfo;
  rows: SummaryRow[];
}

export interface BenchResults {
  version: 1;
  benchmarks: Record<string, BenchRecord>;
}

export const SUMMARY_START = "<!-- bench:summary:start -->";
export const SUMMARY_END = "<!-- bench:summary:end -->";

export const emptyResults = (): BenchResults => ({ version: 1, benchmarks: {} });

/** Throws naming the first field that is missing or of the wrong type. */
export function checkRows(benchmark: string, rows: unknown): SummaryRow[] {
  if (!Array.isArray(rows)) throw new TypeError(`bench/${benchmark}.ts: its default export must return an array of summary rows, got ${typeof rows}`);
  return rows.map((r: unknown, i) => {
    const at = `bench/${benchmark}.ts: summary row ${i}`;
    if (typeof r !== "object" || r === null) throw new TypeError(`${at} is not an object`);
    const row = r as Record<string, unknown>;
    if (row.benchmark !== benchmark) throw new TypeError(`${at}: benchmark must be "${benchmark}", got ${JSON.stringify(row.benchmark)}`);
    for (const key of ["measure", "unit"] as const) {
      if (typeof row[key] !== "string" || row[key] === "") throw new TypeError(`${at}: ${key} must be a non-empty string`);
    }
    if (typeof row.value !== "number") throw new TypeError(`${at} (${String(row.measure)}): value must be a number`);
    if (row.baseline !== undefined) {
      const b = row.baseline as Record<string, unknown> | null;
      if (typeof b !== "object" || b === null || typeof b.measure !== "string" || typeof b.value !== "number") {
        throw new TypeError(`${at} (${String(row.measure)}): baseline must be { measure: string, value: number }`);
      }
    }
    if (row.ratio !== undefined && typeof row.ratio !== "number") throw new TypeError(`${at} (${String(row.measure)}): ratio must be a number`);
    if (row.goal !== undefined && typeof row.goal !== "string") throw new TypeError(`${at} (${String(row.measure)}): goal must be a string`);
    if (row.met !== undefined && typeof row.met !== "boolean") throw new TypeError(`${at} (${String(row.measure)}): met must be true or false`);
    if ((row.goal === undefined) !== (row.met === undefined)) throw new TypeError(`${at} (${String(row.measure)}): goal and met go together`);
    return row as unknown as SummaryRow;
  });
}

/** The stored results; NaN figures are stored as null (JSON has no NaN) and read back as NaN. */
export function parseResults(json: string): BenchResults {
  const data = JSON.parse(json) as Partial<BenchResults> | null;
  if (!data || data.version !== 1 || typeof data.benchmarks !== "object" || data.benchmarks === null) {
    throw new TypeError("bench results: expected { version: 1, benchmarks: { … } }");
  }
  const benchmarks: Record<string, BenchRecord> = {};
  for (const [name, record] of Object.entries(data.benchmarks)) {
    if (!record || typeof record.run !== "object" || !Array.isArray(record.rows)) throw new TypeError(`bench results: ${name} needs run and rows`);
    const rows = record.rows.map((r) => ({
      ...r,
      value: r.value ?? NaN,
      ...(r.baseline ? { baseline: { ...r.baseline, value: r.baseline.value ?? NaN } } : {}),
      ...(r.ratio !== undefined ? { ratio: r.ratio ?? NaN } : {}),
    }));
    benchmarks[name] = { run: record.run, rows: checkRows(name, rows) };
  }
  return { version: 1, benchmarks };
}

export function stringifyResults(results: BenchResults): string {
  const ordered: BenchResults = { version: 1, benchmarks: Object.fromEntries(Object.keys(results.benchmarks).sort().map((k) => [k, results.benchmarks[k]!])) };
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

/**
 * The previous results with each freshly run benchmark's record replaced (all of its rows: a
 * measure it no longer reports goes); benchmarks not in `known` (their file is gone) are dropped.
 */
export function mergeResults(previous: BenchResults, fresh: Record<string, BenchRecord>, known?: readonly string[]): BenchResults {
  const benchmarks = { ...previous.benchmarks, ...fresh };
  if (known) for (const name of Object.keys(benchmarks)) if (!known.includes(name)) delete benchmarks[name];
  return { version: 1, benchmarks };
}

/** Whole numbers (and figures from 100 up) with thousands separators, else 3 significant figures (2 below 1); "—" when not finite. */
export function formatValue(x: number): string {
  if (!Number.isFinite(x)) return "—";
  const a = Math.abs(x);
  if (a >= 100 || Number.isInteger(x)) return Math.round(x).toLocaleString("en-US");
  if (a >= 10) return x.toFixed(1);
  if (a >= 1) return x.toFixed(2);
  return Number(x.toPrecision(2)).toString();
}

export function formatRatio(r: number): string {
  if (!Number.isFinite(r)) return "—";
  return `${r >= 100 ? Math.round(r).toLocaleString("en-US") : r >= 10 ? r.toFixed(1) : r >= 1 ? r.toFixed(2) : Number(r.toPrecision(2)).toString()}x`;
}

const loads = (l: readonly number[]) => l.map((x) => x.toFixed(2)).join(" ");
const machineText = (m: MachineInfo) => `nproc ${m.nproc}, ${m.cpuModel}, ${m.memoryGiB} GiB RAM, Node ${m.node}`;
/** A table cell: no pipe or line break may leak into the markdown. */
const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\s*\n\s*/g, " ");

/** The block between the markers (markers included), rendered from the stored results. */
export function renderSummary(results: BenchResults): string {
  const names = Object.keys(results.benchmarks).sort();
  const out = [
    SUMMARY_START,
    "<!-- Generated by `npm run bench` from docs/bench-results.json: do not edit between these markers. -->",
    "",
    "**Summary of the last full-size run of each benchmark** (generated). `npm run bench` runs every",
    "benchmark and rewrites this block; `npm run bench -- NAME…` runs those and replaces only their",
    "rows; `--no-write` prints without writing. Ratios compare with a baseline measured in the same",
    "process and run; the sections below explain each benchmark.",
    "",
  ];
  if (names.length === 0) {
    out.push("_No full-size results recorded yet: run `npm run bench` on a quiet machine._", "", SUMMARY_END);
    return out.join("\n");
  }
  const records = names.map((n) => [n, results.benchmarks[n]!] as const);
  const machines = [...new Set(records.map(([, r]) => machineText(r.run.machine)))];
  if (machines.length === 1) out.push(`**Machine:** ${machines[0]}`, "");
  out.push("| benchmark | ran at (UTC) | commit | command | load average before → after | wall time |", "|---|---|---|---|---|---:|");
  for (const [name, { run }] of records) {
    const when = run.date.replace("T", " ").replace(/:\d\d(\.\d+)?Z$/, "");
    const machine = machines.length > 1 ? ` on ${machineText(run.machine)}` : "";
    out.push(`| ${name} | ${when}${cell(machine)} | ${cell(run.commit)} | \`${cell(run.command)}\` | ${loads(run.loadBefore)} → ${loads(run.loadAfter)} | ${formatDuration(run.seconds)} |`);
  }
  out.push("", "| benchmark | measure | value | unit | baseline (same run) | ratio | goal | met |", "|---|---|---:|---|---|---:|---|---|");
  for (const [name, { rows }] of records) {
    for (const r of rows) {
      const baseline = r.baseline ? `${formatValue(r.baseline.value)} (${cell(r.baseline.measure)})` : "";
      const ratio = r.ratio === undefined ? "" : formatRatio(r.ratio);
      const met = r.met === undefined ? "" : r.met ? "met" : "**not met**";
      out.push(`| ${name} | ${cell(r.measure)} | ${formatValue(r.value)} | ${cell(r.unit)} | ${baseline} | ${ratio} | ${cell(r.goal ?? "")} | ${met} |`);
    }
  }
  out.push("", SUMMARY_END);
  return out.join("\n");
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "—";
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const m = Math.floor(seconds / 60);
  return `${m} min ${String(Math.round(seconds - m * 60)).padStart(2, "0")} s`;
}

/**
 * The document with the block between the markers replaced; without markers, the block goes after
 * the document's title line (its first line when that is a `# ` heading, else at the top).
 */
export function replaceSummaryBlock(doc: string, block: string): string {
  const start = doc.indexOf(SUMMARY_START);
  const end = doc.indexOf(SUMMARY_END);
  if (start >= 0 !== end >= 0 || (start >= 0 && end < start)) {
    throw new Error(`docs/PERFORMANCE.md: the markers ${SUMMARY_START} and ${SUMMARY_END} must both be present, in that order, or neither`);
  }
  if (start >= 0) return doc.slice(0, start) + block + doc.slice(end + SUMMARY_END.length);
  const firstLineEnd = doc.indexOf("\n");
  if (doc.startsWith("# ") && firstLineEnd >= 0) return `${doc.slice(0, firstLineEnd + 1)}\n${block}\n${doc.slice(firstLineEnd + 1)}`;
  return `${block}\n\n${doc}`;
}
