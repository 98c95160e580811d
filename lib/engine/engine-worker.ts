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
 * Price batches are coalesced: each `applyPrices` is checked on arrival (a bad one is rejected
 * alone), then held; the held ticks are applied as one batch once the messages already queued
 * have been read (`setImmediate`). One revaluation per market then serves every tick that arrived
 * meanwhile, however fast they come. Each held request is answered with the accounts touched by
 * the combined batch.
 *
 * Mutations other than prices apply the held ticks first, so every mutation takes effect in the
 * order sent (positions and collateral commute with marks anyway; stale flags and market
 * parameters do not). Queries do not wait for held ticks: they are answered from the book as of
 * the last applied batch, at most one turn behind; a caller that needs a batch's effect awaits its
 * `applyPrices` first. Without this, a query every 100 ms would force a revaluation every 100 ms
 * and the worker would fall behind a fast feed.
 */
let heldTicks: PriceUpdate[] = [];
let heldIds: number[] = [];
let priceFlushScheduled = false;

function applyHeldPrices(): void {
  priceFlushScheduled = false;
  if (heldIds.length === 0) return;
  const ticks = heldTicks;
  const ids = heldIds;
  heldTicks = [];
  heldIds = [];
  let touched = 0;
  try {
    touched = book.applyPrices(ticks);
  } catch (err) {
    for (const id of ids) respondError(id, err);
    return;
  }
  for (const id of ids) post({ kind: "response", id, ok: true, result: { touched } });
  scheduleFlush();
}

port.on("message", (request: EngineRequest) => {
  if (request.type === "applyPrices") {
    try {
      book.checkPrices(request.payload.ticks);
    } catch (err) {
      return respondError(request.id, err);
    }
    for (const t of request.payload.ticks) heldTicks.push(t);
    heldIds.push(request.id);
    if (!priceFlushScheduled) {
      priceFlushScheduled = true;
      setImmediate(applyHeldPrices);
    }
    return;
  }
  if (MUTATIONS.has(request.type)) applyHeldPrices();
  try {
    const result = request.type === "stats" ? stats() : dispatchEngineRequest(book, request);
    post({ kind: "response", id: request.id, ok: true, result }, request.type === "snapshot" ? buffersOf(result) : undefined);
  } catch (err) {
    respondError(request.id, err);
  }
  if (MUTATIONS.has(request.type)) scheduleFlush();
});

post({ kind: "ready" });
