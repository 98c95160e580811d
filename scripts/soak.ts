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
 *   - event-loop lag, from outside: the server exposes no lag figure, so the latency of
 *     `GET /api/health` stands for it (never two probes in flight). That route does
 *     one `SELECT 1`; its latency is the wait for the server's event loop plus a small fixed cost.
 *
 * Samples go to artifacts/soak-<time>.ndjson as they are taken (one JSON object a line, kind
 * "sample"; the report is the last line, kind "report"). The report fits a least-squares line, over
 * windows after a warm-up, to RSS (MB/min) and to the lag's p99 per window (ms/min), and says
 * whether each grows: slope above the threshold (RSS 1 MB/min, lag p99 1 ms/min) with a 95%
 * confidence interval that excludes zero. Ctrl-C ends the run early and still reports.
 */
import { appendFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { parseEnv } from "@/lib/server/env";
import {
  commitLine, cpuModel, deskSnapshot, descendants, int, machineLine, MB, ms, procSample, ROOT, sleep, waitForSimulator, withServer,
} from "../bench/lib/live-server";
import { soakVerdict, type SoakSample, type Trend } from "../bench/lib/soak-analysis";

const RATE_MULTIPLIER = 10;
/** Four probes a second, so that a window's p99 is not simply its slowest probe (240 a minute: the p99 is the 3rd slowest). */
const SAMPLE_EVERY_MS = 250;
const PROBE_TIMEOUT_MS = 10_000;
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

/** Warm-up excluded from the trends: a tenth of the run, 30 s to 3 min. Windows: 1 min, or 30 s for runs under 10 min. */
function phases(minutes: number): { warmupS: number; windowS: number } {
  return { warmupS: Math.min(180, Math.max(30, minutes * 6)), windowS: minutes >= 10 ? 60 : 30 };
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

const trendLine = (name: string, unit: string, t: Trend) =>
  `${name}: ${t.slope >= 0 ? "+" : ""}${t.slope.toFixed(2)} ${unit}/min (95% interval ${t.low.toFixed(2)} to ${t.high.toFixed(2)}, ${t.points} windows) — ` +
  `${t.grows ? "GROWS" : "does not grow"} (threshold: slope above ${t.threshold} ${unit}/min with the interval above 0)`;

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2));
  const demoTickMs = parseEnv({}).LIQDESK_SIM_TICK_MS;
  const tickMs = Math.round(demoTickMs / RATE_MULTIPLIER);
  const { warmupS, windowS } = phases(opts.minutes);
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const file = path.join(ROOT, "artifacts", `soak-${stamp}.ndjson`);
  mkdirSync(path.dirname(file), { recursive: true });
  const write = (record: object) => appendFileSync(file, `${JSON.stringify(record)}\n`);

  console.log(machineLine());
  console.log(commitLine());
  const env: Record<string, string> = { LIQDESK_SIMULATOR: "on", LIQDESK_SIM_TICK_MS: String(tickMs) };
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
    const start = performance.now();
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
      const sample: SoakSample = { t, rssBytes: proc.rssBytes, lagMs: null };
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
          sample.lagMs = lag;
          record.healthMs = lag === null ? null : +lag.toFixed(2);
          record.probe = lag === null ? "failed" : "ok";
          write(record);
          pending = null;
        });
      }
      if (t - lastProgress >= 60) {
        lastProgress = t;
        console.log(`  ${(t / 60).toFixed(0)} min: server RSS ${MB(proc.rssBytes)}, its PostgreSQL ${MB(pgRss)}`);
      }
    }
    await pending;
    const seconds = (performance.now() - start) / 1000;
    const cpuPct = ((procSample(server.pid)?.cpuMs ?? cpu0) - cpu0) / 10 / seconds;
    const verdict = soakVerdict(samples, { warmupS, windowS, rssThresholdMbPerMin: RSS_THRESHOLD_MB_PER_MIN, lagThresholdMsPerMin: LAG_THRESHOLD_MS_PER_MIN });

    console.log("");
    console.log(`| window (min) | server RSS mean | /api/health p50 ms | p99 ms | max ms | probes failed or skipped |`);
    console.log("|---|---:|---:|---:|---:|---:|");
    for (const w of verdict.windows) {
      console.log(`| ${(w.from / 60).toFixed(1)}–${(w.to / 60).toFixed(1)} | ${MB(w.rssMeanBytes)} | ${ms(w.lagP50)} | ${ms(w.lagP99)} | ${ms(w.lagMax)} | ${w.failedProbes} of ${w.probes} |`);
    }
    console.log("");
    console.log(`ran ${(seconds / 60).toFixed(1)} min at ${RATE_MULTIPLIER}× the demo rate on ${cpuModel()}; server process CPU ${cpuPct.toFixed(0)}% of one core on average`);
    console.log(trendLine("server RSS", "MB", verdict.rss));
    console.log(trendLine("event-loop lag p99 (/api/health latency)", "ms", verdict.lagP99));
    write({ kind: "report", minutes: seconds / 60, tickMs, accounts: book.accounts, warmupS, windowS, cpuPct, rss: verdict.rss, lagP99: verdict.lagP99, windows: verdict.windows });
  });
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
