/**
 * Desk long tasks (docs/PERFORMANCE.md, "Desk push"): how long the desk page keeps the browser's
 * main thread busy while live updates flow.
 *
 * A server as `npm start` runs it, simulator on, LIQDESK_SIM_ACCOUNTS=5000, started twice in the
 * run: with the default tick (LIQDESK_SIM_TICK_MS=500, what `npm start` does) and with
 * LIQDESK_SIM_TICK_MS=50, where both streams push at their cap of 10 per second. Headless Chromium
 * (Debian's, tests/support/browser.ts) opens /desk at 1440x900; a PerformanceObserver installed
 * before the page's own scripts collects every 'longtask' entry (main-thread tasks over 50 ms).
 * Reported apart: the page's load (navigation until the summary and every market's mark are shown,
 * plus 2 s), then 30 s of live updates: count, p95 and max duration, total blocking time
 * (Σ duration − 50 ms), and the socket frames the page received meanwhile, so that "no long task"
 * cannot mean "no update". The page is measured at the commit printed (the desk UI is being built).
 */
import type { Page } from "playwright-core";
import { seedMarkets } from "@/lib/sim/seed-markets";
import { launchBrowser } from "../tests/support/browser";
import type { AppServer } from "../tests/support/app-server";
import { commitLine, deskSnapshot, int, machineLine, ms, sleep, summarize, waitForSimulator, withServer } from "./lib/live-server";

const ACCOUNTS = 5000;
const WINDOW_MS = 30_000;
const SETTLE_MS = 2000;

interface LongTask {
  start: number;
  duration: number;
}

interface TaskWindow {
  tasks: LongTask[];
  stats: ReturnType<typeof summarize>;
  blockingMs: number;
}

interface RunResult {
  tickMs: number;
  accounts: number;
  queue: number;
  loadMs: number;
  load: TaskWindow;
  live: TaskWindow;
  frames: Record<string, number>;
  markChanges: number;
}

declare global {
  interface Window {
    __longTasks?: { start: number; duration: number }[];
    __markChanges?: number;
  }
}

export default async function main(): Promise<void> {
  console.log(machineLine());
  console.log(`measured at ${commitLine(["app", "components", "lib"])}`);
  const browser = await launchBrowser();
  console.log(`browser: Chromium ${browser.version()} headless (/usr/bin/chromium), viewport 1440x900`);
  const results: RunResult[] = [];
  try {
    for (const tickMs of [500, 50]) {
      results.push(await withServer({ env: { LIQDESK_SIMULATOR: "on", LIQDESK_SIM_ACCOUNTS: String(ACCOUNTS), LIQDESK_SIM_TICK_MS: String(tickMs) } },
        async (server) => {
          await waitForSimulator(server, 300_000);
          await sleep(3000);
          const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
          try {
            return await measure(server, page, tickMs);
          } finally {
            await page.close();
          }
        }));
      printRun(results[results.length - 1]!);
    }
  } finally {
    await browser.close();
  }

  console.log("");
  console.log(`| /desk, ${ACCOUNTS.toLocaleString("en-US")} accounts | long tasks | p95 ms | max ms | total blocking ms | frames received (markets / desk) |`);
  console.log("|---|---:|---:|---:|---:|---:|");
  for (const r of results) {
    console.log(`| load, tick ${r.tickMs} ms (${ms(r.loadMs, 0)} ms to the first marks, + ${SETTLE_MS / 1000} s) | ${r.load.stats.n} | ${ms(r.load.stats.p95, 0)} | ${ms(r.load.stats.max, 0)} | ${ms(r.load.blockingMs, 0)} | |`);
    console.log(`| ${WINDOW_MS / 1000} s live, tick ${r.tickMs} ms | ${r.live.stats.n} | ${ms(r.live.stats.p95, 0)} | ${ms(r.live.stats.max, 0)} | ${ms(r.live.blockingMs, 0)} | ${r.frames["markets:delta"] ?? 0} / ${r.frames["desk:delta"] ?? 0} |`);
  }
  console.log("");
  for (const r of results) {
    const over = r.live.tasks.length;
    console.log(`goal: no long task (> 50 ms) during ${WINDOW_MS / 1000} s of live updates, tick ${r.tickMs} ms: ${over} — ${over === 0 ? "met" : "NOT met"}`);
  }
}

async function measure(server: AppServer, page: Page, tickMs: number): Promise<RunResult> {
  const snapshot = await deskSnapshot(server);
  await page.addInitScript(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longTasks!.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: "longtask", buffered: true });
  });
  const frames: Record<string, number> = {};
  let counting = false;
  page.on("websocket", (ws) => {
    ws.on("framereceived", (f) => {
      if (!counting || typeof f.payload !== "string") return;
      const m = /^42\["([a-z:]+)"/.exec(f.payload);
      if (m) frames[m[1]!] = (frames[m[1]!] ?? 0) + 1;
    });
  });

  const t0 = Date.now();
  await page.goto(`${server.url}/desk`, { waitUntil: "domcontentloaded" });
  await page.getByTestId("desk-summary").waitFor({ timeout: 60_000 });
  for (const m of seedMarkets) await page.getByTestId(`market-${m.id}`).getByTestId("mark").waitFor({ timeout: 60_000 });
  const loadMs = Date.now() - t0;
  await sleep(SETTLE_MS);

  // The live window: long tasks that start in it, and how often the marks on screen change.
  const windowStart = await page.evaluate(() => {
    window.__markChanges = 0;
    new MutationObserver((records) => {
      for (const r of records) {
        const el = r.target instanceof Element ? r.target : r.target.parentElement;
        if (el?.closest("[data-testid=mark]")) window.__markChanges! += 1;
      }
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
    return performance.now();
  });
  counting = true;
  await sleep(WINDOW_MS);
  counting = false;
  const { tasks, windowEnd, markChanges } = await page.evaluate(() => ({
    tasks: window.__longTasks ?? [], windowEnd: performance.now(), markChanges: window.__markChanges ?? 0,
  }));
  const load = tasks.filter((t) => t.start < windowStart);
  const live = tasks.filter((t) => t.start >= windowStart && t.start < windowEnd);
  const after = await deskSnapshot(server);
  return {
    tickMs,
    accounts: after.summary.book.accounts,
    queue: Math.max(snapshot.summary.book.queue.size, after.summary.book.queue.size),
    loadMs,
    load: windowOf(load),
    live: windowOf(live.map((t) => ({ start: t.start - windowStart, duration: t.duration }))),
    frames,
    markChanges,
  };
}

function windowOf(tasks: LongTask[]): TaskWindow {
  return { tasks, stats: summarize(tasks.map((t) => t.duration)), blockingMs: tasks.reduce((a, t) => a + Math.max(0, t.duration - 50), 0) };
}

function printRun(r: RunResult): void {
  console.log("");
  console.log(`-- LIQDESK_SIM_TICK_MS=${r.tickMs}: ${int(r.accounts)} accounts, liquidation queue up to ${int(r.queue)}`);
  console.log(`load: first marks after ${ms(r.loadMs, 0)} ms; long tasks until ${SETTLE_MS / 1000} s later: ${r.load.stats.n}, p95 ${ms(r.load.stats.p95, 0)} ms, max ${ms(r.load.stats.max, 0)} ms, blocking ${ms(r.load.blockingMs, 0)} ms`);
  console.log(`live ${WINDOW_MS / 1000} s: long tasks ${r.live.stats.n}, p95 ${ms(r.live.stats.p95, 0)} ms, max ${ms(r.live.stats.max, 0)} ms, total blocking ${ms(r.live.blockingMs, 0)} ms; ` +
    `frames received ${Object.entries(r.frames).map(([k, v]) => `${k} ${v}`).join(", ") || "none"}; mark text changes on screen ${r.markChanges}`);
  const worst = [...r.live.tasks].sort((a, b) => b.duration - a.duration).slice(0, 5);
  if (worst.length) console.log(`  longest: ${worst.map((t) => `${ms(t.duration, 0)} ms at +${(t.start / 1000).toFixed(1)} s`).join(", ")}`);
}
