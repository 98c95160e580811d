import { describe, expect, it } from "vitest";
import {
  checkRows, emptyResults, formatRatio, formatValue, mergeResults, parseResults, renderSummary, replaceSummaryBlock, stringifyResults,
  SUMMARY_END, SUMMARY_START, type BenchRecord, type RunInfo, type SummaryRow,
} from "@/bench/lib/bench-summary";

const MACHINE = { nproc: 2, cpuModel: "AMD EPYC 7B13", memoryGiB: 24, node: "v20.20.2" };

function run(over: Partial<RunInfo> = {}): RunInfo {
  return {
    date: "2026-12-04T15:00:00.000Z", commit: "abc1234", command: "npm run bench", machine: MACHINE,
    loadBefore: [0.5, 0.4, 0.3], loadAfter: [1.5, 0.9, 0.5], seconds: 125, ...over,
  };
}

const riskRows: SummaryRow[] = [
  {
    benchmark: "risk", measure: "figures, 1,000,000 positions (median)", value: 34.9, unit: "ms",
    baseline: { measure: "hand-written Float64Array loop", value: 22.3 }, ratio: 34.9 / 22.3, goal: "≤ 3x the baseline", met: true,
  },
  { benchmark: "risk", measure: "plans for 10,000 liquidatable accounts (median)", value: 25.4, unit: "ms", goal: "< 100 ms", met: true },
];
const sqlRows: SummaryRow[] = [
  {
    benchmark: "sql-baseline", measure: "full recompute, engine (accountFiguresColumnar)", value: 40, unit: "ms wall",
    baseline: { measure: "PostgreSQL, one query, float8", value: 2000 }, ratio: 0.02,
  },
];

describe("rows a benchmark returns", () => {
  it("accepts well-formed rows", () => {
    expect(checkRows("risk", riskRows)).toEqual(riskRows);
    expect(checkRows("risk", [])).toEqual([]);
  });

  it("rejects anything else, naming the field", () => {
    expect(() => checkRows("risk", undefined)).toThrow(/must return an array/);
    expect(() => checkRows("risk", [{ ...riskRows[0], benchmark: "engine" }])).toThrow(/benchmark must be "risk"/);
    expect(() => checkRows("risk", [{ ...riskRows[0], measure: "" }])).toThrow(/measure must be a non-empty string/);
    expect(() => checkRows("risk", [{ ...riskRows[0], value: "34.9" }])).toThrow(/value must be a number/);
    expect(() => checkRows("risk", [{ ...riskRows[0], baseline: { value: 1 } }])).toThrow(/baseline must be/);
    expect(() => checkRows("risk", [{ ...riskRows[0], met: "yes" }])).toThrow(/met must be true or false/);
    expect(() => checkRows("risk", [{ ...riskRows[1], met: undefined }])).toThrow(/goal and met go together/);
  });
});

describe("merging results", () => {
  const previous = mergeResults(emptyResults(), { risk: { run: run(), rows: riskRows }, "sql-baseline": { run: run(), rows: sqlRows } });

  it("replaces only the benchmarks that ran, all of their rows", () => {
    const fresh: BenchRecord = { run: run({ date: "2026-12-05T09:00:00.000Z", command: "npm run bench -- risk" }), rows: [riskRows[1]!] };
    const merged = mergeResults(previous, { risk: fresh });
    expect(merged.benchmarks.risk).toEqual(fresh); // the measure no longer reported is gone
    expect(merged.benchmarks["sql-baseline"]).toEqual(previous.benchmarks["sql-baseline"]);
    expect(previous.benchmarks.risk!.rows).toHaveLength(2); // the previous results are not changed
  });

  it("drops benchmarks whose file is gone", () => {
    expect(Object.keys(mergeResults(previous, {}, ["risk"]).benchmarks)).toEqual(["risk"]);
  });

  it("round-trips through JSON, NaN as null, benchmarks in name order", () => {
    const withNaN = mergeResults(previous, { engine: { run: run(), rows: [{ benchmark: "engine", measure: "tick p99", value: NaN, unit: "ms", ratio: NaN }] } });
    const text = stringifyResults(withNaN);
    expect(text).toContain('"value": null');
    expect(Object.keys(JSON.parse(text).benchmarks)).toEqual(["engine", "risk", "sql-baseline"]);
    const back = parseResults(text);
    expect(back.benchmarks.engine!.rows[0]!.value).toBeNaN();
    expect(back.benchmarks.engine!.rows[0]!.ratio).toBeNaN();
    expect(back.benchmarks.risk).toEqual(withNaN.benchmarks.risk);
  });

  it("rejects a results file of another shape", () => {
    expect(() => parseResults("{}")).toThrow(/version: 1/);
    expect(() => parseResults(JSON.stringify({ version: 1, benchmarks: { risk: { rows: [] } } }))).toThrow(/risk needs run and rows/);
    expect(() => parseResults(JSON.stringify({ version: 1, benchmarks: { risk: { run: run(), rows: [{ ...riskRows[0], benchmark: "x" }] } } })))
      .toThrow(/benchmark must be "risk"/);
  });
});

describe("rendering", () => {
  it("formats figures and ratios", () => {
    expect(formatValue(1234567.8)).toBe("1,234,568");
    expect(formatValue(34.94)).toBe("34.9");
    expect(formatValue(1.2345)).toBe("1.23");
    expect(formatValue(0.001234)).toBe("0.0012");
    expect(formatValue(0)).toBe("0");
    expect(formatValue(1)).toBe("1"); // a count
    expect(formatValue(10)).toBe("10");
    expect(formatValue(0.6)).toBe("0.6");
    expect(formatValue(NaN)).toBe("—");
    expect(formatRatio(1.566)).toBe("1.57x");
    expect(formatRatio(53.2)).toBe("53.2x");
    expect(formatRatio(1234)).toBe("1,234x");
    expect(formatRatio(0.0021)).toBe("0.0021x");
    expect(formatRatio(0.0251)).toBe("0.025x");
    expect(formatRatio(0.74)).toBe("0.74x");
    expect(formatRatio(Infinity)).toBe("—");
  });

  it("renders the machine, every run and one table of every figure, between the markers", () => {
    const results = mergeResults(emptyResults(), {
      risk: { run: run(), rows: riskRows },
      "sql-baseline": { run: run({ commit: "def5678 + uncommitted changes", command: "npm run bench -- sql-baseline", seconds: 30 }), rows: sqlRows },
    });
    const block = renderSummary(results);
    const lines = block.split("\n");
    expect(lines[0]).toBe(SUMMARY_START);
    expect(lines.at(-1)).toBe(SUMMARY_END);
    expect(block).toContain("**Machine:** nproc 2, AMD EPYC 7B13, 24 GiB RAM, Node v20.20.2");
    expect(block).toContain("| risk | 2026-12-04 15:00 | abc1234 | `npm run bench` | 0.50 0.40 0.30 → 1.50 0.90 0.50 | 2 min 05 s |");
    expect(block).toContain("| sql-baseline | 2026-12-04 15:00 | def5678 + uncommitted changes | `npm run bench -- sql-baseline` |");
    expect(block).toContain("| risk | figures, 1,000,000 positions (median) | 34.9 | ms | 22.3 (hand-written Float64Array loop) | 1.57x | ≤ 3x the baseline | met |");
    expect(block).toContain("| risk | plans for 10,000 liquidatable accounts (median) | 25.4 | ms |  |  | < 100 ms | met |");
    expect(block).toContain("| sql-baseline | full recompute, engine (accountFiguresColumnar) | 40 | ms wall | 2,000 (PostgreSQL, one query, float8) | 0.02x |  |  |");
    // every table row has as many cells as its header
    const figures = lines.filter((l) => l.startsWith("| risk | ") || l.startsWith("| sql-baseline | "));
    for (const l of figures) expect(l.split(" | ").length).toBeGreaterThanOrEqual(6);
  });

  it("says when a goal is not met, escapes pipes, and names each run's machine when they differ", () => {
    const other = { ...MACHINE, nproc: 16, cpuModel: "Quiet | Box" };
    const block = renderSummary(mergeResults(emptyResults(), {
      engine: { run: run({ machine: other }), rows: [{ benchmark: "engine", measure: "tick p99 | calm", value: 37.9, unit: "ms", goal: "< 20 ms", met: false }] },
      risk: { run: run(), rows: [riskRows[1]!] },
    }));
    expect(block).toContain("| engine | tick p99 \\| calm | 37.9 | ms |  |  | < 20 ms | **not met** |");
    expect(block).not.toContain("**Machine:**");
    expect(block).toContain("on nproc 16, Quiet \\| Box, 24 GiB RAM");
  });

  it("says so when nothing was recorded", () => {
    expect(renderSummary(emptyResults())).toContain("No full-size results recorded yet");
  });
});

describe("replacing the block in docs/PERFORMANCE.md", () => {
  const doc = "# Performance\n\nIntro.\n\n## Risk model\n\nText.\n";
  const block = `${SUMMARY_START}\nnew\n${SUMMARY_END}`;

  it("puts the block under the title when there are no markers yet", () => {
    expect(replaceSummaryBlock(doc, block)).toBe(`# Performance\n\n${block}\n\nIntro.\n\n## Risk model\n\nText.\n`);
  });

  it("replaces only what is between the markers, keeping the hand-written sections", () => {
    const once = replaceSummaryBlock(doc, `${SUMMARY_START}\nold\n${SUMMARY_END}`);
    const twice = replaceSummaryBlock(once, block);
    expect(twice).toBe(`# Performance\n\n${block}\n\nIntro.\n\n## Risk model\n\nText.\n`);
    expect(replaceSummaryBlock(twice, block)).toBe(twice);
  });

  it("refuses a document with one marker or with them out of order", () => {
    expect(() => replaceSummaryBlock(`${doc}${SUMMARY_START}\n`, block)).toThrow(/markers/);
    expect(() => replaceSummaryBlock(`${SUMMARY_END}\n${SUMMARY_START}\n`, block)).toThrow(/markers/);
  });
});
