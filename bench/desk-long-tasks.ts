/**
 * Desk long tasks (docs/PERFORMANCE.md, "Desk page long tasks"): how long the desk page keeps the
 * browser's main thread busy while live updates flow.
 *
 * A server as `npm start` runs it, simulator on, LIQDESK_SIM_ACCOUNTS=5000, started twice in the
 * run: with the default tick (LIQDESK_SIM_TICK_MS=500, what `npm start` does) and with
 * LIQDESK_SIM_TICK_MS=50, where both streams push at their cap of 10 per second. Headless Chromium
 * (Debian's, tests/support/browser.ts) opens /desk at 1440x900; a PerformanceObserver installed
 * before the page's own scripts collects every 'longtask' entry (main-thread tasks over 50 ms) and
 * every 'layout-shift'. Reported apart: the page's load (navigation until the summary and every
 * market's mark are shown, plus 2 s), then 30 s of live updates at the top of the page (figures,
 * queue, accounts, histogram), then 30 s scrolled to the bottom (liquidation map, every market's
 * mark chart): count, p95 and max duration, total blocking time (Σ duration − 50 ms), the layout
 * shift outside the rows of live tables (rows that move because the data re-ordered them are not a
 * jump of the page), and the socket frames received and mark texts changed meanwhile, so that "no
 * long task" cannot mean "no update". A long task is wall time: on a shared machine a short task
 * that waits for a CPU becomes long, so each window also prints how many cores the whole machine
 * kept busy. The page is measured at the commit printed.
 *
 * DESK_LONG_TASKS_TRACE=1 adds, after each server's windows, a 15 s Chromium trace of each view and
 * prints where the main thread's time went (bench/lib/chromium-trace.ts); the trace slows the page,
 * so its windows are not the ones counted above.
 */
import type { Browser, Page } from "playwright-core";
import { seedMarkets } from "@/lib/sim/seed-markets";
import { launchBrowser } from "../tests/support/browser";
import type { AppServer } from "../tests/support/app-server";
import { newDeskPage } from "../tests/support/sign-in";
import { TRACE_CATEGORIES, formatBreakdown, mainThreadBreakdown } from "./lib/chromium-trace";
import os from "node:os";
import { commitLine, deskSnapshot, int, machineBusyMs, machineLine, ms, sleep, summarize, waitForSimulator, withServer } from "./lib/live-server";
import type { SummaryRow } from "./lib/bench-summary";
import { quickOr } from "./lib/quick-mode";

/** Quick mode (LIQDESK_BENCH_QUICK=1): live windows of 5 s. */
const ACCOUNTS = 5000;
const WINDOW_MS = quickOr(30_000, 5_000);
const SETTLE_MS = 2000;
const TRACE_MS = 15_000;
const VIEWS = ["top", "bottom"] as const;
type View = (typeof VIEWS)[number];
const VIEW_LABEL: Record<View, string> = {
  top: "top of the page",
  bottom: "scrolled to the bottom (map, mark charts)",
};

interface LongTask {
  start: number;
  duration: number;
}

interface TaskWindow {
  tasks: LongTask[];
  stats: ReturnType<typeof summarize>;
  blockingMs: number;
}

interface LiveWindow extends TaskWindow {
  view: View;
  frames: Record<string, number>;
  markChanges: number;
  layoutShift: number;
  /** Cores the whole machine kept busy during the window (this page's renderer included), of `os.availableParallelism()`. */
  machineCores: number;
}

interface RunResult {
  tickMs: number;
  accounts: number;
  queue: number;
  loadMs: number;
  load: TaskWindow;
  live: LiveWindow[];
  traces: { view: View; lines: string[] }[];
}

declare global {
  interface Window {
    __longTasks?: { start: number; duration: number }[];
    __layoutShifts?: { start: number; value: number }[];
    __markChanges?: number;
  }
}

export default async function main(): Promise<SummaryRow[]> {
  const trace = process.env.DESK_LONG_TASKS_TRACE === "1";
  console.log(machineLine());
  console.log(`measured at ${commitLine(["app", "components", "lib"])}`);
  const browser = await launchBrowser();
  console.log(`browser: Chromium ${browser.version()} headless (/usr/bin/chromium), viewport 1440x900${trace ? "; with Chromium traces" : ""}`);
  const results: RunResult[] = [];
  try {
    for (const tickMs of [500, 50]) {
      results.push(await withServer({ env: { LIQDESK_SIMULATOR: "on", LIQDESK_SIM_ACCOUNTS: String(ACCOUNTS), LIQDESK_SIM_TICK_MS: String(tickMs) } },
        async (server) => {
          await waitForSimulator(server, 300_000);
          await sleep(3000);
          const page = await newDeskPage(browser, server, { viewport: { width: 1440, height: 900 } });
          try {
            return await measure(server, browser, page, tickMs, trace);
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
  console.log(`| /desk, ${ACCOUNTS.toLocaleString("en-US")} accounts | long tasks | p95 ms | max ms | total blocking ms | layout shift | frames received (markets / desk) | machine busy, cores of ${os.availableParallelism()} |`);
  console.log("|---|---:|---:|---:|---:|---:|---:|---:|");
  for (const r of results) {
    console.log(`| load, tick ${r.tickMs} ms (${ms(r.loadMs, 0)} ms to the first marks, + ${SETTLE_MS / 1000} s) | ${r.load.stats.n} | ${ms(r.load.stats.p95, 0)} | ${ms(r.load.stats.max, 0)} | ${ms(r.load.blockingMs, 0)} | | | |`);
    for (const w of r.live) {
      console.log(`| ${WINDOW_MS / 1000} s live, tick ${r.tickMs} ms, ${w.view} | ${w.stats.n} | ${ms(w.stats.p95, 0)} | ${ms(w.stats.max, 0)} | ${ms(w.blockingMs, 0)} | ${w.layoutShift.toFixed(3)} | ${w.frames["markets:delta"] ?? 0} / ${w.frames["desk:delta"] ?? 0} | ${w.machineCores.toFixed(1)} |`);
    }
  }
  console.log("");
  const rows: SummaryRow[] = [];
  for (const r of results) {
    for (const w of r.live) {
      const over = w.tasks.length;
      console.log(`goal: no long task (> 50 ms) during ${WINDOW_MS / 1000} s of live updates, tick ${r.tickMs} ms, ${VIEW_LABEL[w.view]}: ${over} — ${over === 0 ? "met" : "NOT met"}`);
      rows.push({
        benchmark: "desk-long-tasks", measure: `/desk long tasks (> 50 ms) in ${WINDOW_MS / 1000} s of live updates, tick ${r.tickMs} ms, ${w.view}`,
        value: over, unit: "tasks", goal: "0", met: over === 0,
      });
    }
  }
  const live = results.flatMap((r) => r.live);
  rows.push({
    benchmark: "desk-long-tasks", measure: `/desk total blocking time (Σ long task − 50 ms), ${live.length} live windows of ${WINDOW_MS / 1000} s together`,
    value: live.reduce((a, w) => a + w.blockingMs, 0), unit: "ms",
  });
  return rows;
}

async function measure(server: AppServer, browser: Browser, page: Page, tickMs: number, trace: boolean): Promise<RunResult> {
  const snapshot = await deskSnapshot(server);
  await page.addInitScript(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longTasks!.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: "longtask", buffered: true });
    window.__layoutShifts = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries() as unknown as { startTime: number; value: number; hadRecentInput: boolean; sources?: { node?: Node | null }[] }[]) {
        if (e.hadRecentInput) continue;
        // Rows of a live table move when the data re-orders them: that is not the page jumping.
        const moved = (e.sources ?? []).filter((s) => {
          const el = s.node instanceof Element ? s.node : s.node?.parentElement;
          return !el?.closest("[role=rowgroup]");
        });
        if (moved.length > 0) window.__layoutShifts!.push({ start: e.startTime, value: e.value });
      }
    }).observe({ type: "layout-shift", buffered: true });
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
  const loadEnd = await page.evaluate(() => performance.now());
  const load = windowOf((await page.evaluate(() => window.__longTasks ?? [])).filter((t) => t.start < loadEnd));

  const live: LiveWindow[] = [];
  for (const view of VIEWS) {
    await scrollTo(page, view);
    // The window: long tasks that start in it, layout shifts in it, and how often the marks on screen change.
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
    for (const k of Object.keys(frames)) delete frames[k];
    const busy0 = machineBusyMs();
    counting = true;
    await sleep(WINDOW_MS);
    counting = false;
    const machineCores = (machineBusyMs() - busy0) / WINDOW_MS;
    const { tasks, shifts, windowEnd, markChanges } = await page.evaluate(() => ({
      tasks: window.__longTasks ?? [], shifts: window.__layoutShifts ?? [], windowEnd: performance.now(), markChanges: window.__markChanges ?? 0,
    }));
    const inWindow = <T extends { start: number }>(xs: T[]) => xs.filter((x) => x.start >= windowStart && x.start < windowEnd);
    live.push({
      view,
      ...windowOf(inWindow(tasks).map((t) => ({ start: t.start - windowStart, duration: t.duration }))),
      frames: { ...frames },
      markChanges,
      layoutShift: inWindow(shifts).reduce((a, s) => a + s.value, 0),
      machineCores,
    });
  }

  const traces: RunResult["traces"] = [];
  if (trace) {
    for (const view of VIEWS) {
      await scrollTo(page, view);
      await browser.startTracing(page, { categories: TRACE_CATEGORIES });
      await sleep(TRACE_MS);
      const buffer = await browser.stopTracing();
      traces.push({ view, lines: formatBreakdown(mainThreadBreakdown(JSON.parse(buffer.toString("utf8")))) });
    }
  }

  const after = await deskSnapshot(server);
  return {
    tickMs,
    accounts: after.summary.book.accounts,
    queue: Math.max(snapshot.summary.book.queue.size, after.summary.book.queue.size),
    loadMs,
    load,
    live,
    traces,
  };
}

async function scrollTo(page: Page, view: View): Promise<void> {
  await page.evaluate((bottom) => window.scrollTo(0, bottom ? document.body.scrollHeight : 0), view === "bottom");
  await sleep(SETTLE_MS);
}

function windowOf(tasks: LongTask[]): TaskWindow {
  return { tasks, stats: summarize(tasks.map((t) => t.duration)), blockingMs: tasks.reduce((a, t) => a + Math.max(0, t.duration - 50), 0) };
}

function printRun(r: RunResult): void {
  console.log("");
  console.log(`-- LIQDESK_SIM_TICK_MS=${r.tickMs}: ${int(r.accounts)} accounts, liquidation queue up to ${int(r.queue)}`);
  console.log(`load: first marks after ${ms(r.loadMs, 0)} ms; long tasks until ${SETTLE_MS / 1000} s later: ${r.load.stats.n}, p95 ${ms(r.load.stats.p95, 0)} ms, max ${ms(r.load.stats.max, 0)} ms, blocking ${ms(r.load.blockingMs, 0)} ms`);
  for (const w of r.live) {
    console.log(`live ${WINDOW_MS / 1000} s, ${VIEW_LABEL[w.view]}: long tasks ${w.stats.n}, p95 ${ms(w.stats.p95, 0)} ms, max ${ms(w.stats.max, 0)} ms, total blocking ${ms(w.blockingMs, 0)} ms; ` +
      `layout shift ${w.layoutShift.toFixed(3)}; machine busy ${w.machineCores.toFixed(1)} of ${os.availableParallelism()} cores; frames received ${Object.entries(w.frames).map(([k, v]) => `${k} ${v}`).join(", ") || "none"}; mark text changes on screen ${w.markChanges}`);
    const worst = [...w.tasks].sort((a, b) => b.duration - a.duration).slice(0, 5);
    if (worst.length) console.log(`  longest: ${worst.map((t) => `${ms(t.duration, 0)} ms at +${(t.start / 1000).toFixed(1)} s`).join(", ")}`);
  }
  for (const t of r.traces) {
    console.log(`trace ${TRACE_MS / 1000} s, ${VIEW_LABEL[t.view]}:`);
    for (const line of t.lines) console.log(`  ${line}`);
  }
}
