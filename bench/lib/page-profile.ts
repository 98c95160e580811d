import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { CDPSession, Page } from "playwright-core";
import { formatBreakdown, mainThreadBreakdown, TRACE_CATEGORIES } from "./chromium-trace";

/**
 * Opt-in diagnostics (LIQDESK_BENCH_PAGE_PROFILE=<dir>): where a page's renderer spends the
 * measured window. Chromium's own counters (Performance.getMetrics: script, style recalculation,
 * layout, tasks) are read at the window's start and end, and a JS CPU profile of the page's main
 * thread is written to `<dir>/<name>.cpuprofile` (open it in Chromium's DevTools, or sum it by
 * function). Off by default: the profiler itself costs the page some time.
 */
export const PAGE_PROFILE_DIR = process.env.LIQDESK_BENCH_PAGE_PROFILE || null;

/**
 * With LIQDESK_BENCH_PAGE_TRACE=<seconds> as well: a Chromium trace of the desk board for that many
 * seconds at the window's start, written to `<dir>/<name>.trace.json` and summed as its main
 * thread's CPU time by kind (chromium-trace.ts, as desk-long-tasks reports it); one browser traces
 * one page at a time.
 */
const TRACE_SECONDS = Number(process.env.LIQDESK_BENCH_PAGE_TRACE ?? 0);

/** Traces `page` for LIQDESK_BENCH_PAGE_TRACE seconds into the profile directory; the report's lines (none when unset). */
export async function tracePage(page: Page, name: string): Promise<string[]> {
  const browser = page.context().browser();
  if (!PAGE_PROFILE_DIR || !(TRACE_SECONDS > 0) || !browser) return [];
  mkdirSync(PAGE_PROFILE_DIR, { recursive: true });
  const file = path.join(PAGE_PROFILE_DIR, `${name}.trace.json`);
  await browser.startTracing(page, { path: file, categories: TRACE_CATEGORIES });
  await new Promise((r) => setTimeout(r, TRACE_SECONDS * 1000));
  const trace = await browser.stopTracing();
  return [`trace of ${name} (${file}):`, ...formatBreakdown(mainThreadBreakdown(JSON.parse(trace.toString("utf8"))))];
}

const COUNTERS = ["TaskDuration", "ScriptDuration", "RecalcStyleDuration", "LayoutDuration", "LayoutCount", "RecalcStyleCount", "Nodes", "JSHeapUsedSize"] as const;
type Counters = Record<(typeof COUNTERS)[number], number>;

async function counters(session: CDPSession): Promise<Counters> {
  const { metrics } = await session.send("Performance.getMetrics");
  const byName = new Map(metrics.map((m) => [m.name, m.value]));
  return Object.fromEntries(COUNTERS.map((k) => [k, byName.get(k) ?? 0])) as Counters;
}

export interface PageProfile {
  /** Ends the window: writes the profile and returns one line of the renderer's time in it. */
  end(seconds: number): Promise<string>;
}

/** Starts profiling `page` (named `name`), or returns null when LIQDESK_BENCH_PAGE_PROFILE is unset. */
export async function startPageProfile(page: Page, name: string): Promise<PageProfile | null> {
  if (!PAGE_PROFILE_DIR) return null;
  const session = await page.context().newCDPSession(page);
  await session.send("Performance.enable");
  await session.send("Profiler.enable");
  await session.send("Profiler.setSamplingInterval", { interval: 500 });
  await session.send("Profiler.start");
  const before = await counters(session);
  return {
    async end(seconds) {
      const after = await counters(session);
      const { profile } = await session.send("Profiler.stop");
      mkdirSync(PAGE_PROFILE_DIR, { recursive: true });
      const file = path.join(PAGE_PROFILE_DIR, `${name}.cpuprofile`);
      writeFileSync(file, JSON.stringify(profile));
      await session.detach();
      const share = (k: "TaskDuration" | "ScriptDuration" | "RecalcStyleDuration" | "LayoutDuration") =>
        `${(((after[k] - before[k]) / seconds) * 100).toFixed(0)}%`;
      return `page ${name}, share of one core in the window: tasks ${share("TaskDuration")} (script ${share("ScriptDuration")}, style ${share("RecalcStyleDuration")}, ` +
        `layout ${share("LayoutDuration")}); layouts ${((after.LayoutCount - before.LayoutCount) / seconds).toFixed(1)}/s, ` +
        `style recalculations ${((after.RecalcStyleCount - before.RecalcStyleCount) / seconds).toFixed(1)}/s; DOM nodes ${after.Nodes}, JS heap ${(after.JSHeapUsedSize / 2 ** 20).toFixed(0)} MiB; profile ${file}`;
    },
  };
}
