/**
 * What the nesting guard run before every main-thread JSON.parse costs (lib/contracts/json-depth.ts,
 * `jsonDepth`): one pass over the decoded body, timed on flat bodies of the largest size an ingest
 * batch may have (10 MiB), beside JSON.parse of the same text (the cost the body had already):
 *   - positions: a batch of position updates (numbers and short strings: the scanner visits most characters);
 *   - collateral: entries with long notes (long strings: the scanner jumps from quote to quote);
 * and on 10 MiB of `[[[[…` (refused at level 65, at once) beside JSON.parse of 1 MiB of it.
 * In process, no server. Median of N runs after warm-up. Run: `npm run --silent bench -- json-depth`.
 */
import os from "node:os";
import { jsonDepth, MAX_JSON_DEPTH } from "../lib/contracts/json-depth";
import { commitLine, machineLine, ms } from "./lib/live-server";
import type { SummaryRow } from "./lib/bench-summary";
import { quickOr } from "./lib/quick-mode";

const SIZE = 10 * 1024 * 1024;
const RUNS = quickOr(15, 3);

function fill(item: (i: number) => unknown, key: string, extra: Record<string, unknown>): string {
  const parts: string[] = [];
  let size = 64;
  for (let i = 0; size < SIZE; i++) {
    const part = JSON.stringify(item(i));
    parts.push(part);
    size += part.length + 1;
  }
  return JSON.stringify({ ...extra, [key]: "@@" }).replace("\"@@\"", `[${parts.join(",")}]`);
}

function median(f: () => void): number {
  for (let i = 0; i < 2; i++) f();
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    f();
    samples.push(performance.now() - start);
  }
  return samples.sort((a, b) => a - b)[Math.floor(samples.length / 2)]!;
}

export default async function main(): Promise<SummaryRow[]> {
  console.log(machineLine());
  console.log(`measured at ${commitLine()}`);
  console.log(`load average at the start: ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  const bodies: [string, string][] = [
    ["positions batch, flat 10 MiB", fill((i) => ({ accountId: `acct-${i % 5000}`, marketId: "BTC-PERP", qty: (i % 7) - 3.25, entryPrice: 60000 + i / 100, seq: i + 1 }), "updates", { source: "bench" })],
    ["collateral batch with long notes, flat 10 MiB", fill((i) => ({ accountId: `acct-${i}`, amount: "12.5", kind: "deposit", idempotencyKey: `k-${i}`, note: "n".repeat(400) }), "entries", {})],
  ];
  const rows: SummaryRow[] = [];
  console.log("");
  console.log(`| body | bytes | jsonDepth ms (median of ${RUNS}) | JSON.parse ms | scan ÷ parse |`);
  console.log("|---|---:|---:|---:|---:|");
  for (const [name, text] of bodies) {
    if (jsonDepth(text) > MAX_JSON_DEPTH) throw new Error(`${name} is refused`);
    const scan = median(() => jsonDepth(text, MAX_JSON_DEPTH));
    const parse = median(() => JSON.parse(text));
    console.log(`| ${name} | ${text.length} | ${ms(scan, 1)} | ${ms(parse, 1)} | ${(scan / parse).toFixed(2)} |`);
    rows.push({ benchmark: "json-depth", measure: `nesting scan, ${name}, median`, value: scan, unit: "ms",
      baseline: { measure: `JSON.parse of the same body, median`, value: parse }, ratio: scan / parse, goal: "< 30 ms", met: scan < 30 });
  }
  const deep = "[".repeat(SIZE);
  const refuse = median(() => jsonDepth(deep, MAX_JSON_DEPTH));
  const deepMiB = "[".repeat(1024 * 1024) + "]".repeat(1024 * 1024);
  const parseDeep = median(() => JSON.parse(deepMiB));
  console.log(`| [[[[… 10 MiB (refused at level ${MAX_JSON_DEPTH + 1}) | ${deep.length} | ${ms(refuse, 3)} | (1 MiB of it, closed: ${ms(parseDeep, 0)}) | |`);
  rows.push({ benchmark: "json-depth", measure: "nesting scan, 10 MiB of [[[[, refused, median", value: refuse, unit: "ms",
    baseline: { measure: "JSON.parse of 1 MiB of [[[[…]]]], median", value: parseDeep }, ratio: refuse / parseDeep });
  console.log(`load average at the end: ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  return rows;
}
