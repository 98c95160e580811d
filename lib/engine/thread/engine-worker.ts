/**
 * The engine's worker thread: owns one `LiveBook`, answers protocol requests in order and pushes
 * change sets (see `engine-protocol.ts`); hands the analytics commands to its analytics thread
 * (`AnalyticsThread`). Started by `EngineClient`; never imported elsewhere.
 */
import { parentPort, workerData } from "node:worker_threads";
import { RiskInputError } from "@/lib/risk";
import { AlertEvaluator } from "../alerts/alert-evaluator";
import { LiveBook } from "../book/live-book";
import type { PriceUpdate, RunwaySteps } from "../engine-types";
import { bookSnapshot } from "../views/book-snapshot";
import { QueuePageDiff } from "../views/queue-page-diff";
import { AnalyticsError, AnalyticsThread } from "./analytics-thread";
import { dispatchEngineRequest, type EngineState } from "./engine-dispatch";
import { ANALYTICS, MUTATIONS, type EngineInit, type EngineMessage, type EngineRequest, type EngineStats } from "./engine-protocol";
import { lowerThreadPriority } from "./thread-priority";

/** Dirty queue members re-planned per background turn (a few ms): interleaved with marks and queries. */
const PLANS_PER_TURN = 200;
/**
 * Background plans per 100 ms at most (~10,000 a second, a few % of a core): a queue of tens of
 * thousands whose markets all move is re-planned within seconds without the worker spending all
 * its time on it; `summary().queue.plansPending` says how far behind it is.
 */
const PLANS_PER_WINDOW = 1000;
const PLAN_WINDOW_MS = 100;

/**
 * The worker's nice value: when the machine's CPUs are all busy, the server's main thread (HTTP,
 * sockets, ingest) goes first and the revaluation takes what is left, which it absorbs by
 * coalescing marks. Without it, a feed that keeps the worker busy makes it one more thread the
 * request path queues behind for a CPU.
 */
const WORKER_NICE = 10;

const port = parentPort;
if (!port) throw new Error("engine-worker.ts must run in a worker thread (see EngineClient)");

const init = (workerData ?? {}) as EngineInit;
lowerThreadPriority(WORKER_NICE);
const book = new LiveBook(init);
for (const m of init.markets ?? []) book.upsertMarket(m);
const alerts = new AlertEvaluator(book);
const engine: EngineState = { book, queueRows: new QueuePageDiff(), alerts };
const interval = init.changeIntervalMs === undefined ? 50 : init.changeIntervalMs;
let flushTimer: ReturnType<typeof setTimeout> | null = null;
/** Drains the alert rules when the earliest minimum duration ends (`alertTimerAt`), with or without a change. */
let alertTimer: ReturnType<typeof setTimeout> | null = null;
let alertTimerAt = Infinity;
const analytics = new AnalyticsThread();

const post = (message: EngineMessage, transfer?: ArrayBuffer[]) => port.postMessage(message, transfer);

/**
 * A change that touched at most this many accounts (one account's tick, a position, a top-up) is
 * what someone waits to see: its change set goes out at once instead of at the end of the
 * interval, carrying whatever else is pending. A market-wide revaluation still coalesces.
 */
const URGENT_MAX_ACCOUNTS = 256;
/** Urgent change sets are still at least this far apart (a burst of small changes is one set). */
const URGENT_GAP_MS = 5;
let flushDueAt = Number.POSITIVE_INFINITY;
let lastFlushAt = Number.NEGATIVE_INFINITY;

/** How many accounts a mutation names (a market-wide one: all of them, as far as urgency goes). */
function accountsNamed(request: EngineRequest): number {
  switch (request.type) {
    case "applyPositions": return request.payload.updates.length;
    case "applyCollateral": return request.payload.entries.length;
    case "applyCollateralDeltas":
    case "applyFunding": return request.payload.deltas.length;
    case "markStepExecuted":
    case "markStepFailed": return request.payload.steps.length;
    default: return Number.POSITIVE_INFINITY;
  }
}

function flushChanges(): void {
  flushTimer = null;
  flushDueAt = Number.POSITIVE_INFINITY;
  lastFlushAt = performance.now();
  const changes = book.drainChanges();
  if (changes.accounts > 0 || changes.markets.length > 0 || changes.summaryChanged) post({ kind: "changes", changes });
  flushAlerts();
}

/** Posts the alert signals of the rules at this moment (after the change set they follow), then waits for the next minimum duration to end. */
function flushAlerts(): void {
  if (interval === null) return;
  const signals = alerts.drain(Date.now());
  if (signals.length > 0) post({ kind: "alerts", signals });
  scheduleAlertTimer();
}

function scheduleAlertTimer(): void {
  const due = alerts.nextDue();
  if (interval === null || due >= alertTimerAt) return;
  if (alertTimer !== null) clearTimeout(alertTimer);
  alertTimerAt = due;
  if (due === Infinity) return;
  alertTimer = setTimeout(() => {
    alertTimer = null;
    alertTimerAt = Infinity;
    flushAlerts();
  }, Math.max(0, due - Date.now()) + 1);
}

/** The change set goes out within `interval` ms, or at once (URGENT_GAP_MS after the last one at most) when `urgent`. */
function scheduleFlush(urgent = false): void {
  if (interval === null) return;
  if (interval === 0) return flushChanges();
  const now = performance.now();
  const due = urgent ? Math.max(now, lastFlushAt + URGENT_GAP_MS) : now + interval;
  if (due >= flushDueAt) return;
  if (flushTimer !== null) clearTimeout(flushTimer);
  // Due now: at once, not after the next pump turn (a timer of 0 ms runs after the next immediate, a revaluation of thousands of holders).
  if (due <= now) return flushChanges();
  flushDueAt = due;
  flushTimer = setTimeout(flushChanges, due - now);
}

function stats(): EngineStats {
  return {
    markets: book.marketIds().length,
    accounts: book.accounts,
    positions: book.positionCount,
    queueLength: book.queue.length,
    queueDirty: book.queue.dirtyCount(),
    plansComputed: book.queue.planned,
    resyncs: book.resyncs,
    typedBytes: book.typedBytes(),
    heapUsed: process.memoryUsage().heapUsed,
  };
}

/** ArrayBuffers of the typed arrays in a result, to transfer instead of copying. */
function buffersOf(result: unknown): ArrayBuffer[] {
  if (!result || typeof result !== "object") return [];
  const out = new Set<ArrayBuffer>();
  for (const v of Object.values(result)) if (ArrayBuffer.isView(v) && v.buffer instanceof ArrayBuffer) out.add(v.buffer);
  return [...out];
}

function respondError(id: number, err: unknown): void {
  const e = err instanceof Error ? err : new Error(String(err));
  const issues = e instanceof RiskInputError || e instanceof AnalyticsError ? e.issues : undefined;
  post({ kind: "response", id, ok: false, error: { name: e.name, message: e.message, issues } });
}

/**
 * Queue members whose figures moved are re-planned in the background, oldest first, a bounded
 * number per event-loop turn and per 100 ms, so that the summary's totals follow the book under
 * any feed without a summary ever planning the whole queue. Turns alternate with price turns and
 * messages.
 */
let refreshScheduled = false;
let planWindowStart = Number.NEGATIVE_INFINITY;
let planWindowUsed = 0;

function scheduleRefresh(): void {
  if (refreshScheduled || book.queue.dirtyCount() === 0) return;
  refreshScheduled = true;
  const now = performance.now();
  if (now - planWindowStart >= PLAN_WINDOW_MS) {
    planWindowStart = now;
    planWindowUsed = 0;
  }
  if (planWindowUsed < PLANS_PER_WINDOW) setImmediate(refreshTurn);
  else setTimeout(refreshTurn, planWindowStart + PLAN_WINDOW_MS - now);
}

function refreshTurn(): void {
  refreshScheduled = false;
  if (performance.now() - planWindowStart >= PLAN_WINDOW_MS) {
    planWindowStart = performance.now();
    planWindowUsed = 0;
  }
  // Planning resyncs an account's sums, which may settle a status (a change to push); it moves the queue's pending notional (a queue alert rule).
  const planned = book.queue.refresh(Math.min(PLANS_PER_TURN, PLANS_PER_WINDOW - planWindowUsed));
  planWindowUsed += planned;
  if (book.changes.pendingAccounts() > 0 || (planned > 0 && alerts.watchesQueue)) scheduleFlush();
  scheduleRefresh();
}

/** The fund runway's last steps (`fundRunway`'s hint). */
let runwaySteps: RunwaySteps | undefined;

/**
 * Analytics walk the whole book: the snapshot is taken now (the state as of this message), the
 * work runs on the analytics thread, and the answer is posted when it is done.
 */
function runAnalytics(request: EngineRequest): void {
  let job: Promise<unknown>;
  switch (request.type) {
    case "stress":
      job = analytics.run("stress", { snapshot: bookSnapshot(book), ...request.payload });
      break;
    case "fundRunway":
      // The last answer's steps say where to look first (the same answer, a few shocked books fewer).
      job = analytics.run("fundRunway", { snapshot: bookSnapshot(book), insuranceFund: request.payload.insuranceFund, hint: runwaySteps })
        .then((runway) => {
          runwaySteps = runway.steps;
          return runway;
        });
      break;
    case "liquidationMap":
      job = analytics.run("liquidationMap", { snapshot: bookSnapshot(book, { market: request.payload.marketId }), marketId: request.payload.marketId });
      break;
    default:
      throw new RangeError(`${request.type} is not an analytics command`);
  }
  job.then((result) => post({ kind: "response", id: request.id, ok: true, result }), (err: unknown) => respondError(request.id, err));
}

/**
 * Prices are coalesced per market and applied one market per turn of the event loop.
 *
 * Each `applyPrices` is checked on arrival (a bad one is rejected alone); its ticks then join the
 * pending marks, one per market (a later tick replaces a pending one, keeping its place). A pump
 * applies one pending market per `setImmediate` turn, so that queries and other messages are
 * served between two markets rather than after a whole revaluation of the book, and one
 * revaluation per market serves every tick that arrived for it meanwhile, however fast they come.
 * Markets go in the order they became pending, except that a market held by at most
 * URGENT_MAX_ACCOUNTS accounts goes first: its revaluation costs microseconds and its change set
 * goes out at once, where behind a few markets of 20,000 holders each (a busy feed on the
 * tick-to-dom book) it waited tens of ms, more on a host short of CPU. A request is answered once
 * every market pending when it arrived has been applied, with the accounts touched since it arrived.
 *
 * Mutations other than prices apply every pending mark first, so mutations take effect in the
 * order sent (positions and collateral commute with marks; stale flags and market parameters do
 * not). Queries do not wait: they see the book as of the markets applied so far; a caller that
 * needs a batch's effect awaits its `applyPrices` first.
 */
const pendingMarks = new Map<string, { update: PriceUpdate; seq: number }>();
/** Markets that became pending so far (each pending mark's `seq`, and the ticket of a waiting request). */
let enqueued = 0;
let touchedTotal = 0;
const waiting: { id: number; ticket: number; touchedAtArrival: number }[] = [];
let pumpScheduled = false;

function answerSatisfied(): void {
  // Pending marks are in `seq` order (a replaced tick keeps its place): the first is the oldest.
  const first = pendingMarks.values().next();
  const oldestPending = first.done ? Number.POSITIVE_INFINITY : first.value.seq;
  while (waiting.length > 0 && waiting[0]!.ticket < oldestPending) {
    const w = waiting.shift()!;
    post({ kind: "response", id: w.id, ok: true, result: { touched: touchedTotal - w.touchedAtArrival } });
  }
}

/** The pending market to apply next: the first held by at most URGENT_MAX_ACCOUNTS, else the oldest. */
function nextPendingMarket(): string | undefined {
  let oldest: string | undefined;
  for (const marketId of pendingMarks.keys()) {
    oldest ??= marketId;
    if (book.holdersOf(marketId) <= URGENT_MAX_ACCOUNTS) return marketId;
  }
  return oldest;
}

/** Applies the next pending market's mark; returns whether any was pending. */
function applyOneMark(): boolean {
  const marketId = nextPendingMarket();
  if (marketId === undefined) return false;
  const { update } = pendingMarks.get(marketId)!;
  pendingMarks.delete(marketId);
  const touched = book.applyPrices([update]);
  touchedTotal += touched;
  if (touched > 0 && touched <= URGENT_MAX_ACCOUNTS) scheduleFlush(true);
  return true;
}

function pump(): void {
  pumpScheduled = false;
  if (applyOneMark()) {
    answerSatisfied();
    scheduleFlush();
    scheduleRefresh();
  }
  if (pendingMarks.size > 0) schedulePump();
}

function schedulePump(): void {
  if (pumpScheduled) return;
  pumpScheduled = true;
  setImmediate(pump);
}

/** Applies every pending mark now (before a mutation that must come after them). */
function applyPendingMarks(): void {
  let any = false;
  while (applyOneMark()) any = true;
  if (any) {
    answerSatisfied();
    scheduleFlush();
  }
}

port.on("message", (request: EngineRequest) => {
  if (request.type === "applyPrices") {
    try {
      book.checkPrices(request.payload.ticks);
    } catch (err) {
      return respondError(request.id, err);
    }
    for (const t of request.payload.ticks) {
      const pending = pendingMarks.get(t.marketId);
      if (pending) pending.update = t;
      else pendingMarks.set(t.marketId, { update: t, seq: ++enqueued });
    }
    waiting.push({ id: request.id, ticket: enqueued, touchedAtArrival: touchedTotal });
    answerSatisfied();
    schedulePump();
    return;
  }
  if (MUTATIONS.has(request.type)) applyPendingMarks();
  try {
    if (ANALYTICS.has(request.type)) return runAnalytics(request);
    const result = request.type === "stats" ? stats() : dispatchEngineRequest(engine, request);
    const transfer = request.type === "snapshot" || request.type === "marginRows" ? buffersOf(result) : undefined;
    // The signals of new rules go out before the answer: whoever awaits it has them queued.
    if (request.type === "setAlertRules") flushAlerts();
    if (request.type === "drainAlerts") scheduleAlertTimer();
    post({ kind: "response", id: request.id, ok: true, result }, transfer);
  } catch (err) {
    respondError(request.id, err);
  }
  if (MUTATIONS.has(request.type)) {
    scheduleFlush(accountsNamed(request) <= URGENT_MAX_ACCOUNTS);
    scheduleRefresh();
  }
});

post({ kind: "ready" });
