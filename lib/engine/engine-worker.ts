/**
 * The engine's worker thread: owns one `LiveBook`, answers protocol requests in order and pushes
 * change sets (see `engine-protocol.ts`). Started by `EngineClient`; never imported elsewhere.
 */
import { parentPort, workerData } from "node:worker_threads";
import { RiskInputError } from "../risk";
import { dispatchEngineRequest } from "./engine-dispatch";
import type { EngineInit, EngineMessage, EngineRequest, EngineStats } from "./engine-protocol";
import type { PriceUpdate } from "./engine-types";
import { MUTATIONS } from "./engine-protocol";
import { LiveBook } from "./live-book";

const port = parentPort;
if (!port) throw new Error("engine-worker.ts must run in a worker thread (see EngineClient)");

const init = (workerData ?? {}) as EngineInit;
const book = new LiveBook(init);
for (const m of init.markets ?? []) book.upsertMarket(m);
const interval = init.changeIntervalMs === undefined ? 50 : init.changeIntervalMs;
let flushTimer: ReturnType<typeof setTimeout> | null = null;

const post = (message: EngineMessage, transfer?: ArrayBuffer[]) => port.postMessage(message, transfer);

function flushChanges(): void {
  flushTimer = null;
  const changes = book.drainChanges();
  if (changes.accounts.length > 0 || changes.markets.length > 0 || changes.summaryChanged) post({ kind: "changes", changes });
}

function scheduleFlush(): void {
  if (interval === null || flushTimer !== null) return;
  if (interval === 0) return flushChanges();
  flushTimer = setTimeout(flushChanges, interval);
}

function stats(): EngineStats {
  return {
    markets: book.marketIds().length,
    accounts: book.accountCount,
    positions: book.positionCount,
    queueLength: book.queueLength,
    queueDirty: book.queueDirty,
    plansComputed: book.plansComputed,
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
  post({ kind: "response", id, ok: false, error: { name: e.name, message: e.message, issues: e instanceof RiskInputError ? e.issues : undefined } });
}

/**
 * Prices are coalesced per market and applied one market per turn of the event loop.
 *
 * Each `applyPrices` is checked on arrival (a bad one is rejected alone); its ticks then join the
 * pending marks, one per market (a later tick replaces a pending one, keeping its place). A pump
 * applies the pending markets in the order they became pending, one per `setImmediate` turn, so
 * that queries and other messages are served between two markets rather than after a whole
 * revaluation of the book, and one revaluation per market serves every tick that arrived for it
 * meanwhile, however fast they come. A request is answered once every market pending when it
 * arrived has been applied, with the accounts touched since it arrived.
 *
 * Mutations other than prices apply every pending mark first, so mutations take effect in the
 * order sent (positions and collateral commute with marks; stale flags and market parameters do
 * not). Queries do not wait: they see the book as of the markets applied so far; a caller that
 * needs a batch's effect awaits its `applyPrices` first.
 */
const pendingMarks = new Map<string, PriceUpdate>();
/** Markets that became pending so far, and markets applied so far (tickets of waiting requests). */
let enqueued = 0;
let applied = 0;
let touchedTotal = 0;
const waiting: { id: number; ticket: number; touchedAtArrival: number }[] = [];
let pumpScheduled = false;

function answerSatisfied(): void {
  while (waiting.length > 0 && waiting[0]!.ticket <= applied) {
    const w = waiting.shift()!;
    post({ kind: "response", id: w.id, ok: true, result: { touched: touchedTotal - w.touchedAtArrival } });
  }
}

/** Applies the oldest pending market's mark; returns whether any was pending. */
function applyOneMark(): boolean {
  const next = pendingMarks.entries().next();
  if (next.done) return false;
  const [marketId, update] = next.value;
  pendingMarks.delete(marketId);
  applied++;
  touchedTotal += book.applyPrices([update]);
  return true;
}

function pump(): void {
  pumpScheduled = false;
  if (applyOneMark()) {
    answerSatisfied();
    scheduleFlush();
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
      if (!pendingMarks.has(t.marketId)) enqueued++;
      pendingMarks.set(t.marketId, t);
    }
    waiting.push({ id: request.id, ticket: enqueued, touchedAtArrival: touchedTotal });
    answerSatisfied();
    schedulePump();
    return;
  }
  if (MUTATIONS.has(request.type)) applyPendingMarks();
  try {
    const result = request.type === "stats" ? stats() : dispatchEngineRequest(book, request);
    post({ kind: "response", id: request.id, ok: true, result }, request.type === "snapshot" ? buffersOf(result) : undefined);
  } catch (err) {
    respondError(request.id, err);
  }
  if (MUTATIONS.has(request.type)) scheduleFlush();
});

post({ kind: "ready" });
