/**
 * Plays a recording (ndjson: `npm run record`, or a server's LIQDESK_RECORD_FILE) to the ingest API
 * with the original relative timing divided by --speed (docs/API.md, "Recording and replay").
 *
 *   npm run --silent replay -- FILE.ndjson [--speed 10] [--url http://localhost:3000]
 *                                          [--token lqd_… | --token-file FILE] [--keep-time]
 *
 * Batches are sent one at a time, in file order, each when its time comes (at once when the
 * server is slower than the recording). Price and funding timestamps are moved to the replay's
 * clock (the same relative times, divided by --speed) so that marks are fresh and a replay of a
 * replay is not a duplicate; --keep-time sends them as recorded. Positions keep their seq and
 * collateral entries their idempotency keys: replaying into the database they came from is a
 * no-op for them. A progress bar goes to standard error, then a summary.
 *
 * Exit codes: 0 every batch accepted; 1 some batches were refused (400) or the replay stopped
 * (401, server unreachable, unreadable file); 2 usage error.
 */
import { createReadStream, readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";

const USAGE = `usage: replay FILE.ndjson [--speed 10] [--url http://localhost:3000] [--token lqd_… | --token-file FILE] [--keep-time]

  --speed N      play N times faster than recorded (default 1; 0 = as fast as possible)
  --url URL      the Liqdesk server (default http://localhost:3000)
  --token T      ingest token (npm run token -- create NAME); or --token-file FILE holding it
  --keep-time    send price and funding timestamps as recorded (default: moved to now)
`;

const KINDS = ["prices", "positions", "collateral", "funding"] as const;
type Kind = (typeof KINDS)[number];
interface Line { t: number; kind: Kind; body: Record<string, unknown> }
interface KindStats { batches: number; items: number; accepted: number; ignored: number; rejected: number }

class UsageError extends Error {}
class FatalError extends Error {}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function itemsOf(line: Line): number {
  const b = line.body;
  if (line.kind === "prices") return Array.isArray(b.ticks) ? b.ticks.length : 0;
  if (line.kind === "positions") return Array.isArray(b.updates) ? b.updates.length : 0;
  if (line.kind === "collateral") return Array.isArray(b.entries) ? b.entries.length : 0;
  return 1;
}

async function* readLines(file: string): AsyncGenerator<{ line: Line; number: number }> {
  const rl = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  let number = 0;
  for await (const text of rl) {
    number += 1;
    if (text.trim() === "") continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new FatalError(`${file}:${number}: not valid JSON`);
    }
    const o = parsed as Omit<Partial<Line>, "kind"> & { kind?: string };
    if (o.kind === "meta") continue;
    if (typeof o.t !== "number" || !KINDS.includes(o.kind as Kind) || typeof o.body !== "object" || o.body === null) {
      throw new FatalError(`${file}:${number}: expected {"t": epochMs, "kind": "${KINDS.join('"|"')}", "body": {…}}`);
    }
    yield { line: o as Line, number };
  }
}

/** Moves recorded times onto the replay clock, keeping them strictly increasing per source and market. */
function retimer(t0: number, start: number, speed: number) {
  const last = new Map<string, number>();
  return (ts: number, key: string): number => {
    let moved = Math.round(start + (speed > 0 ? (ts - t0) / speed : 0));
    const previous = last.get(key);
    if (previous !== undefined && moved <= previous) moved = previous + 1;
    last.set(key, moved);
    return moved;
  };
}

function progress(stats: { done: number; total: number; items: number; lagMs: number; started: number }, final = false) {
  const fraction = stats.total === 0 ? 1 : stats.done / stats.total;
  const width = 30;
  const filled = Math.round(fraction * width);
  const elapsed = (Date.now() - stats.started) / 1000;
  const eta = fraction > 0 && fraction < 1 ? ` eta ${Math.round((elapsed / fraction) * (1 - fraction))}s` : "";
  const text = `replay [${"█".repeat(filled)}${"░".repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}% ` +
    `${stats.done}/${stats.total} batches · ${stats.items.toLocaleString("en-US")} items · ` +
    `lag ${(stats.lagMs / 1000).toFixed(1)}s · ${elapsed.toFixed(0)}s${eta}`;
  if (process.stderr.isTTY) process.stderr.write(`\r${text.padEnd(process.stderr.columns ? process.stderr.columns - 1 : 0)}${final ? "\n" : ""}`);
  else process.stderr.write(`${text}\n`);
}

async function post(url: string, token: string, line: Line): Promise<{ status: number; body: Record<string, unknown> }> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 4; attempt++) {
    if (attempt > 0) await sleep(250 * 2 ** attempt);
    try {
      const response = await fetch(`${url}/api/v1/ingest/${line.kind}`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify(line.body),
      });
      const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
      if (response.status >= 500 && response.status !== 501) {
        lastError = new Error(`HTTP ${response.status}: ${JSON.stringify(body)}`);
        continue; // the server is starting (503) or failed: try again
      }
      return { status: response.status, body };
    } catch (error) {
      lastError = error;
    }
  }
  throw new FatalError(`cannot reach ${url}: ${lastError instanceof Error ? lastError.message : String(lastError)}`);
}

async function main(): Promise<number> {
  let file: string, url: string, token: string, speed: number, keepTime: boolean;
  try {
    const { values, positionals } = parseArgs({
      allowPositionals: true,
      options: {
        speed: { type: "string" }, url: { type: "string" }, token: { type: "string" }, "token-file": { type: "string" },
        "keep-time": { type: "boolean" }, help: { type: "boolean", short: "h" },
      },
    });
    if (values.help) {
      process.stderr.write(USAGE);
      return 0;
    }
    if (positionals.length !== 1) throw new UsageError("expected one FILE");
    file = positionals[0]!;
    url = (values.url ?? "http://localhost:3000").replace(/\/+$/, "");
    speed = values.speed === undefined ? 1 : Number(values.speed);
    if (!Number.isFinite(speed) || speed < 0) throw new UsageError(`--speed: expected a number >= 0 (got "${values.speed}")`);
    const fromFile = values["token-file"] ? readFileSync(values["token-file"], "utf8").trim() : undefined;
    const given = values.token ?? fromFile;
    if (!given) throw new UsageError("an ingest token is required: --token lqd_… or --token-file FILE (npm run token -- create NAME)");
    token = given;
    keepTime = values["keep-time"] ?? false;
  } catch (error) {
    process.stderr.write(`replay: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }

  const byKind = Object.fromEntries(KINDS.map((k) => [k, { batches: 0, items: 0, accepted: 0, ignored: 0, rejected: 0 }])) as Record<Kind, KindStats>;
  const rejections: string[] = [];
  const stats = { done: 0, total: 0, items: 0, lagMs: 0, started: Date.now() };
  let maxLagMs = 0;
  try {
    let t0: number | undefined;
    for await (const { line } of readLines(file)) {
      stats.total += 1;
      t0 ??= line.t;
    }
    if (t0 === undefined) {
      process.stderr.write(`replay: ${file} holds no batches\n`);
      return 0;
    }
    const start = Date.now();
    stats.started = start;
    const retime = retimer(t0, start, speed);
    let lastDraw = Date.now();
    for await (const { line, number } of readLines(file)) {
      const due = speed > 0 ? start + (line.t - t0) / speed : start;
      const wait = due - Date.now();
      if (wait > 0) await sleep(wait);
      stats.lagMs = Math.max(0, Date.now() - due);
      maxLagMs = Math.max(maxLagMs, stats.lagMs);
      if (!keepTime && line.kind === "prices" && Array.isArray(line.body.ticks)) {
        const source = String(line.body.source);
        line.body.ticks = (line.body.ticks as { marketId: string; ts: number }[]).map((tick) => ({
          ...tick, ts: retime(typeof tick.ts === "number" ? tick.ts : Date.parse(String(tick.ts)), `p\u0000${source}\u0000${tick.marketId}`),
        }));
      }
      if (!keepTime && line.kind === "funding") {
        const ts = typeof line.body.ts === "number" ? line.body.ts : Date.parse(String(line.body.ts));
        line.body.ts = retime(ts, `f\u0000${String(line.body.marketId)}`);
      }
      const { status, body } = await post(url, token, line);
      const k = byKind[line.kind];
      k.batches += 1;
      k.items += itemsOf(line);
      if (status === 401) throw new FatalError(`the server refused the token (401): ${JSON.stringify(body.error ?? body)}`);
      if (status >= 400) {
        k.rejected += 1;
        const error = body.error as { message?: string } | undefined;
        if (rejections.length < 10) rejections.push(`${file}:${number} ${line.kind}: HTTP ${status} ${error?.message ?? JSON.stringify(body)}`);
      } else if (line.kind === "funding") {
        if (body.applied) k.accepted += 1;
        else k.ignored += 1;
      } else {
        k.accepted += Number(body.accepted ?? 0);
        k.ignored += Number(body.ignored ?? body.replayed ?? 0);
      }
      stats.done += 1;
      stats.items += itemsOf(line);
      if (Date.now() - lastDraw > (process.stderr.isTTY ? 100 : 5000)) {
        progress(stats);
        lastDraw = Date.now();
      }
    }
    progress(stats, true);
  } catch (error) {
    if (stats.done > 0) progress(stats, true);
    process.stderr.write(`replay: stopped: ${(error as Error).message}\n`);
    summary(byKind, rejections, stats, maxLagMs, speed);
    return 1;
  }
  summary(byKind, rejections, stats, maxLagMs, speed);
  return KINDS.some((k) => byKind[k].rejected > 0) ? 1 : 0;
}

function summary(byKind: Record<Kind, KindStats>, rejections: string[], stats: { done: number; started: number }, maxLagMs: number, speed: number) {
  const seconds = (Date.now() - stats.started) / 1000;
  const lines = [`replay: ${stats.done} batches in ${seconds.toFixed(1)} s at speed ${speed === 0 ? "max" : `${speed}×`}, max lag ${(maxLagMs / 1000).toFixed(1)} s`];
  for (const kind of KINDS) {
    const k = byKind[kind];
    if (k.batches === 0) continue;
    lines.push(`  ${kind.padEnd(10)} ${String(k.batches).padStart(7)} batches ${String(k.items).padStart(9)} items  ` +
      `accepted ${k.accepted}, ${kind === "collateral" ? "replayed" : "ignored"} ${k.ignored}, refused batches ${k.rejected}`);
  }
  for (const r of rejections) lines.push(`  refused: ${r}`);
  process.stderr.write(`${lines.join("\n")}\n`);
}

process.exit(await main());
