/**
 * Where a page's main thread spends its time, from a Chromium trace (playwright's
 * `browser.startTracing`): self time of the renderer main thread's trace events, grouped by kind
 * (script, microtasks, style, layout, paint, …), over the whole trace and inside long tasks only.
 */

/** Trace categories that carry the main thread's tasks and what runs in them. */
export const TRACE_CATEGORIES = [
  "toplevel", "devtools.timeline", "disabled-by-default-devtools.timeline", "v8", "v8.execute", "blink", "blink.user_timing",
];

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  /** Thread (CPU) time, µs. */
  tdur?: number;
  args?: { name?: string };
}

const GROUPS: [RegExp, string][] = [
  [/^(RunMicrotasks|v8\.runMicrotasks|BlinkScheduler_PerformMicrotaskCheckpoint)$/, "microtasks (promise jobs)"],
  [/^(FunctionCall|EvaluateScript|v8\.|V8\.Execute|V8\.(BytecodeBudgetInterrupt|HandleInterrupts|StackGuard)|V8\.Compile|TimerFire|FireAnimationFrame|EventDispatch|CallbackFunction|MessagePort::Accept|SerializedScriptValueFactory)/, "script"],
  [/GC|Sweep|Scavenge|Mark|ThreadState::/, "garbage collection"],
  [/^(UpdateLayoutTree|RecalculateStyles|ParseAuthorStyleSheet|Document::(recalcStyle|updateStyle|rebuildLayoutTree|updateActiveStyle)|Blink\.Style)/, "style"],
  [/^(Layout|LocalFrameView::(layout|performLayout|performPostLayoutTasks)|Blink\.Layout|InlineNode::|SvgTextLayoutAlgorithm|LayoutBlock|LayoutObject|LocalFrameView::UpdateStyleAndLayout)/, "layout"],
  [/^(Paint|PaintImage|PaintSetup|RasterTask|Blink\.Paint|LocalFrameView::RunPaintLifecyclePhase)/, "paint"],
  [/^(PrePaint|Layerize|Commit|UpdateLayer|UpdateLayerTree|CompositeLayers|PaintArtifactCompositor|CullRectUpdate|Blink\.(PrePaint|CompositingInputs|CompositingCommit)|LocalFrameView::(RunPostLifecycleSteps|RunPrePaintLifecyclePhase|RunCompositingInputsLifecyclePhase|pushPaintArtifactToCompositor)|IntersectionObserverController|ResizeObserver)/, "pre-paint, layerize, commit, observers"],
  [/^HitTest$/, "hit test"],
  [/^ParseHTML$/, "HTML parse"],
];

function groupOf(name: string): string {
  for (const [re, group] of GROUPS) if (re.test(name)) return group;
  return "other";
}

export interface MainThreadBreakdown {
  /** Span of the trace's main-thread events, ms. */
  spanMs: number;
  /** Σ top-level tasks, ms: wall time, and the part of it the thread was on a CPU. */
  busyMs: number;
  busyCpuMs: number;
  /** Top-level tasks over 50 ms (wall), and the CPU time of each (the rest it was runnable but waiting for a CPU). */
  longTasks: number[];
  longTasksCpu: number[];
  /** The longest CPU time of any top-level task, ms. */
  maxTaskCpuMs: number;
  /** Self CPU ms by kind over every task, and over long tasks only. */
  all: Map<string, number>;
  inLongTasks: Map<string, number>;
}

/** The renderer main thread's self CPU time by kind (nested complete events, each event's thread time minus its children's). */
export function mainThreadBreakdown(trace: { traceEvents: TraceEvent[] }): MainThreadBreakdown {
  const events = trace.traceEvents;
  const mains = events.filter((e) => e.ph === "M" && e.name === "thread_name" && e.args?.name === "CrRendererMain");
  // The renderer main thread with the most work is the page's.
  let best: { pid: number; tid: number; n: number } | null = null;
  for (const m of mains) {
    const n = events.filter((e) => e.pid === m.pid && e.tid === m.tid && e.ph === "X").length;
    if (!best || n > best.n) best = { pid: m.pid, tid: m.tid, n };
  }
  const all = new Map<string, number>();
  const inLongTasks = new Map<string, number>();
  const longTasks: number[] = [];
  const longTasksCpu: number[] = [];
  let maxTaskCpuUs = 0;
  if (!best) return { spanMs: 0, busyMs: 0, busyCpuMs: 0, longTasks, longTasksCpu, maxTaskCpuMs: 0, all, inLongTasks };
  const xs = events
    .filter((e) => e.pid === best.pid && e.tid === best.tid && e.ph === "X" && typeof e.dur === "number")
    .sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);

  let busyUs = 0;
  let busyCpuUs = 0;
  // Self time is CPU time (thread time): on a busy machine a task's wall time also counts the time it
  // waited for a CPU, which would land on whatever event happened to be running.
  const stack: { e: TraceEvent; end: number; childCpuUs: number; inLong: boolean }[] = [];
  const add = (map: Map<string, number>, k: string, us: number) => map.set(k, (map.get(k) ?? 0) + us / 1000);
  const close = (until: number) => {
    while (stack.length && stack[stack.length - 1]!.end <= until) {
      const top = stack.pop()!;
      const self = Math.max(0, (top.e.tdur ?? top.e.dur!) - top.childCpuUs);
      const group = top.e.name === "RunTask" || top.e.name === "ThreadControllerImpl::RunTask" ? "other" : groupOf(top.e.name);
      add(all, group, self);
      if (top.inLong) add(inLongTasks, group, self);
      const parent = stack[stack.length - 1];
      if (parent) parent.childCpuUs += top.e.tdur ?? top.e.dur!;
    }
  };
  for (const e of xs) {
    close(e.ts);
    const parent = stack[stack.length - 1];
    if (!parent) {
      busyUs += e.dur!;
      const cpu = e.tdur ?? e.dur!;
      busyCpuUs += cpu;
      maxTaskCpuUs = Math.max(maxTaskCpuUs, cpu);
      if (e.dur! > 50_000) {
        longTasks.push(e.dur! / 1000);
        longTasksCpu.push(cpu / 1000);
      }
    }
    stack.push({ e, end: e.ts + e.dur!, childCpuUs: 0, inLong: parent ? parent.inLong : e.dur! > 50_000 });
  }
  close(Number.POSITIVE_INFINITY);
  const spanMs = xs.length ? (Math.max(...xs.map((e) => e.ts + e.dur!)) - xs[0]!.ts) / 1000 : 0;
  return { spanMs, busyMs: busyUs / 1000, busyCpuMs: busyCpuUs / 1000, longTasks, longTasksCpu, maxTaskCpuMs: maxTaskCpuUs / 1000, all, inLongTasks };
}

/** The breakdown as report lines. */
export function formatBreakdown(b: MainThreadBreakdown): string[] {
  const row = (map: Map<string, number>) => [...map].sort((x, y) => y[1] - x[1]).filter(([, ms]) => ms >= 1)
    .map(([k, ms]) => `${k} ${Math.round(ms).toLocaleString("en-US")}`).join(", ");
  const longMs = b.longTasks.reduce((a, x) => a + x, 0);
  return [
    `main thread busy ${Math.round(b.busyMs).toLocaleString("en-US")} ms of ${Math.round(b.spanMs).toLocaleString("en-US")} ms traced ` +
      `(on a CPU ${Math.round(b.busyCpuMs).toLocaleString("en-US")} ms, the rest runnable but waiting for one); ` +
      `${b.longTasks.length} tasks over 50 ms (Σ ${Math.round(longMs).toLocaleString("en-US")} ms, longest ${Math.round(Math.max(0, ...b.longTasks))} ms), ` +
      `${b.longTasksCpu.filter((c) => c > 50).length} of them over 50 ms on a CPU; the most CPU time of any task ${Math.round(b.maxTaskCpuMs)} ms`,
    `  CPU ms by kind, every task: ${row(b.all)}`,
    `  CPU ms by kind, long tasks only: ${row(b.inLongTasks) || "none"}`,
  ];
}
