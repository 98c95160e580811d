/**
 * Soak test: `npm run soak -- --minutes 30 [--accounts N]`.
 *
 * Starts the real server as `npm start` does (tests/support/app-server.ts: production build,
 * embedded PostgreSQL in a temporary data directory, removed at the end) with the simulator at 10×
 * the demo rate (LIQDESK_SIM_TICK_MS a tenth of its default) and `--accounts` demo accounts
 * (LIQDESK_SIM_ACCOUNTS; default the server's), lets it run, and four times a second samples
 *
 *   - the server process's resident memory (VmRSS from /proc/<pid>/stat) and CPU time, and its
 *     PostgreSQL's resident memory (the server's child processes);
 *   - the latency of `GET /api/health` (one `SELECT 1`; never two probes in flight): the
 *     event-loop lag as a client sees it, plus a small fixed cost;
 *
 * and every 5 s scrapes the server's own event-loop delay (`GET /api/metrics`:
 * liqdesk_nodejs_eventloop_lag_p99_seconds and _max_seconds, Node's `monitorEventLoopDelay`, reset
 * at each scrape, so each scrape covers the 5 s before it).
 *
 * Samples go to artifacts/soak-<time>.ndjson as they are taken (one JSON object a line, kinds
 * "sample" and "lag"; the report is the last line, kind "report"). The report fits a least-squares
 * line, over the windows of the run's second half (bench/lib/soak-analysis.ts), to RSS (MB/min), to
 * the server's event-loop lag p99 and to the /api/health p99 (ms/min), and says whether each grows:
 * slope above the threshold (RSS 1 MB/min, lag 1 ms/min) with a 95% confidence interval that
 * excludes zero. Ctrl-C ends the run early and still reports.
 */
import { appendFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { parseEnv } from "@/lib/server/env";
import {
  commitLine, cpuModel, deskSnapshot, descendants, int, machineLine, MB, ms, procSample, ROOT, sleep, waitForSimulator, withServer,
} from "../bench/lib/live-server";
import { lagScrapeOf, soakPhases, soakVerdict, type LagScrape, type SoakSample, type Trend } from "../bench/lib/soak-analysis";

const RATE_MULTIPLIER = 10;
/** Four probes a second, so that a window's p99 is not simply its slowest probe (240 a minute: the p99 is the 3rd slowest). */
const SAMPLE_EVERY_MS = 250;
const PROBE_TIMEOUT_MS = 10_000;
const SCRAPE_EVERY_MS = 5_000;
/** The scrape token the soak's server is started with (LIQDESK_METRICS_TOKEN). */
const METRICS_TOKEN = `soak-${process.pid}-metrics-scrape-token`;
const RSS_THRESHOLD_MB_PER_MIN = 1;
const LAG_THRESHOLD_MS_PER_MIN = 1;

interface Options {
  minutes: number;
  accounts: number | undefined;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv.filter((a) => a !== "--"),
    options: { minutes: { type: "string", default: "30" }, accounts: { type: "string" } },
    strict: true,
  });
  const minutes = Number(values.minutes);
  if (!Number.isFinite(minutes) || minutes <= 0) throw new Error(`--minutes must be a positive number of minutes, got "${values.minutes}"`);
  let accounts: number | undefined;
  if (values.accounts !== undefined) {
    accounts = Number(values.accounts);
    if (!Number.isInteger(accounts) || accounts < 0 || accounts > 1_000_000) {
      throw new Error(`--accounts must be a whole number from 0 to 1,000,000, got "${values.accounts}"`);
    }
  }
  return { minutes, accounts };
}

async function probe(url: string): Promise<number | null> {
  const t0 = performance.now();
  try {
    const res = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    await res.arrayBuffer();
    return res.status === 200 ? performance.now() - t0 : null;
  } catch {
    return null;
  }
}

/** The server's event-loop delay since the previous scrape; null when the scrape failed. */
async function scrapeLag(url: string, t: number): Promise<LagScrape | null> {
  try {
    const res = await fetch(`${url}/api/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` }, signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    const text = await res.text();
    return res.status === 200 ? lagScrapeOf(t, text) : null;
  } catch {
    return null;
  }
}

const verdictOf = (t: Trend) => (t.points < 3 ? "no verdict (fewer than 3 windows)" : t.grows ? "GROWS" : "does not grow");
const trendLine = (name: string, unit: string, t: Trend) =>
  `${name}: ${t.slope >= 0 ? "+" : ""}${t.slope.toFixed(2)} ${unit}/min (95% interval ${t.low.toFixed(2)} to ${t.high.toFixed(2)}, ${t.points} windows) — ` +
  `${verdictOf(t)} (threshold: slope above ${t.threshold} ${unit}/min with the interval above 0)`;

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2));
  const demoTickMs = parseEnv({}).LIQDESK_SIM_TICK_MS;
  const tickMs = Math.round(demoTickMs / RATE_MULTIPLIER);
  const { warmupS, windowS } = soakPhases(opts.minutes);
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const file = path.join(ROOT, "artifacts", `soak-${stamp}.ndjson`);
  mkdirSync(path.dirname(file), { recursive: true });
  const write = (record: object) => appendFileSync(file, `${JSON.stringify(record)}\n`);

  console.log(machineLine());
  console.log(commitLine());
  const env: Record<string, string> = { LIQDESK_SIMULATOR: "on", LIQDESK_SIM_TICK_MS: String(tickMs), LIQDESK_METRICS_TOKEN: METRICS_TOKEN };
  if (opts.accounts !== undefined) env.LIQDESK_SIM_ACCOUNTS = String(opts.accounts);

  let interrupted = false;
  process.once("SIGINT", () => {
    interrupted = true;
    console.log("\ninterrupted: ending the run and reporting what was sampled");
  });

  await withServer({ env }, async (server) => {
    await waitForSimulator(server, 600_000);
    const book = (await deskSnapshot(server)).summary.book;
    console.log(`server: simulator at ${RATE_MULTIPLIER}× the demo rate (LIQDESK_SIM_TICK_MS=${tickMs}, default ${demoTickMs}), ` +
      `${int(book.accounts)} demo accounts, ${int(book.positions)} positions; ${opts.minutes} min, warm-up ${warmupS} s, windows of ${windowS} s`);
    console.log(`samples: ${path.relative(process.cwd(), file)}`);

    const samples: SoakSample[] = [];
    const scrapes: LagScrape[] = [];
    const start = performance.now();
    await scrapeLag(server.url, 0); // resets the server's histogram: the first scrape covers the soak only
    let scraping: Promise<void> | null = null;
    let nextScrape = SCRAPE_EVERY_MS / 1000;
    const cpu0 = procSample(server.pid)?.cpuMs ?? 0;
    let pending: Promise<void> | null = null;
    let lastProgress = 0;
    for (let i = 0; !interrupted; i++) {
      const due = start + i * SAMPLE_EVERY_MS;
      if (due - start >= opts.minutes * 60_000) break;
      await sleep(Math.max(0, due - performance.now()));
      const t = (performance.now() - start) / 1000;
      const proc = procSample(server.pid);
      if (!proc && interrupted) break; // Ctrl-C reached the server too
      if (!proc) throw new Error(`the server (pid ${server.pid}) exited during the soak:\n${server.output().slice(-4000)}`);
      const pgRss = descendants(server.pid).reduce((a, p) => a + (procSample(p)?.rssBytes ?? 0), 0);
      const sample: SoakSample = { t, rssBytes: proc.rssBytes, healthMs: null };
      samples.push(sample);
      const record = {
        kind: "sample", t: +t.toFixed(3), rssMB: +(proc.rssBytes / 2 ** 20).toFixed(1), pgRssMB: +(pgRss / 2 ** 20).toFixed(1),
        cpuS: +((proc.cpuMs - cpu0) / 1000).toFixed(2), healthMs: null as number | null, probe: "",
      };
      // One probe at a time: while one waits, the stalled loop it measures is already on record.
      if (pending) {
        record.probe = "skipped: the previous probe is still waiting";
        write(record);
      } else {
        pending = probe(server.url).then((lag) => {
          sample.healthMs = lag;
          record.healthMs = lag === null ? null : +lag.toFixed(2);
          record.probe = lag === null ? "failed" : "ok";
          write(record);
          pending = null;
        });
      }
      if (t >= nextScrape && !scraping) {
        nextScrape += SCRAPE_EVERY_MS / 1000;
        scraping = scrapeLag(server.url, t).then((scrape) => {
          if (scrape) scrapes.push(scrape);
          write({ kind: "lag", t: +t.toFixed(3), ...(scrape ? { p99Ms: +scrape.p99Ms.toFixed(2), maxMs: +scrape.maxMs.toFixed(2) } : { failed: true }) });
          scraping = null;
        });
      }
      if (t - lastProgress >= 60) {
        lastProgress = t;
        console.log(`  ${(t / 60).toFixed(0)} min: server RSS ${MB(proc.rssBytes)}, its PostgreSQL ${MB(pgRss)}`);
      }
    }
    await pending;
    await scraping;
    const seconds = (performance.now() - start) / 1000;
    const cpuPct = ((procSample(server.pid)?.cpuMs ?? cpu0) - cpu0) / 10 / seconds;
    const verdict = soakVerdict(samples, scrapes, { warmupS, windowS, rssThresholdMbPerMin: RSS_THRESHOLD_MB_PER_MIN, lagThresholdMsPerMin: LAG_THRESHOLD_MS_PER_MIN });

    console.log("");
    console.log(`| window (min) | server RSS mean | event-loop lag p99 ms (server) | max ms | /api/health p50 ms | p99 ms | max ms | probes failed or skipped |`);
    console.log("|---|---:|---:|---:|---:|---:|---:|---:|");
    for (const w of verdict.windows) {
      const mark = w.from >= verdict.trendFrom ? " *" : "";
      console.log(`| ${(w.from / 60).toFixed(2)}–${(w.to / 60).toFixed(2)}${mark} | ${MB(w.rssMeanBytes)} | ${ms(w.loopP99)} | ${ms(w.loopMax)} | ` +
        `${ms(w.healthP50)} | ${ms(w.healthP99)} | ${ms(w.healthMax)} | ${w.failedProbes} of ${w.probes} |`);
    }
    console.log(`(* windows of the second half, from ${(verdict.trendFrom / 60).toFixed(2)} min: the trends below are fitted to those)`);
    console.log("");
    console.log(`ran ${(seconds / 60).toFixed(1)} min at ${RATE_MULTIPLIER}× the demo rate on ${cpuModel()}; server process CPU ${cpuPct.toFixed(0)}% of one core on average`);
    console.log(trendLine("server RSS", "MB", verdict.rss));
    console.log(trendLine("event-loop lag p99 (the server's monitorEventLoopDelay)", "ms", verdict.loopLagP99));
    console.log(trendLine("/api/health latency p99 (the lag as a client sees it)", "ms", verdict.healthP99));
    console.log(`verdict: resident memory ${verdictOf(verdict.rss)}; event-loop lag ${verdictOf(verdict.loopLagP99)} (as a client sees it: ${verdictOf(verdict.healthP99)})`);
    write({
      kind: "report", minutes: seconds / 60, tickMs, accounts: book.accounts, warmupS, windowS, trendFrom: verdict.trendFrom, cpuPct,
      rss: verdict.rss, loopLagP99: verdict.loopLagP99, healthP99: verdict.healthP99, windows: verdict.windows,
    });
  });
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
