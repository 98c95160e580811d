import { ANALYTICS, type AnalyticsCommand, type EngineCommand, type EnginePayload, type EngineRequest, type EngineResult } from "./engine-protocol";
import type { LiveBook } from "../book/live-book";

type Handlers = { [K in EngineCommand]: (book: LiveBook, payload: EnginePayload<K>) => EngineResult<K> };

const handlers: Omit<Handlers, "stats" | AnalyticsCommand> = {
  upsertMarkets: (book, { markets }) => {
    for (const m of markets) book.upsertMarket(m);
    return null;
  },
  applyPrices: (book, { ticks }) => ({ touched: book.applyPrices(ticks) }),
  setStale: (book, { updates }) => {
    for (const u of updates) book.setStale(u.marketId, u.stale);
    return null;
  },
  applyPositions: (book, { updates }) => (book.applyPositions(updates), null),
  applyCollateral: (book, { entries }) => (book.applyCollateral(entries), null),
  applyCollateralDeltas: (book, { deltas }) => (book.applyCollateralDeltas(deltas), null),
  applyFunding: (book, { deltas }) => (book.applyCollateralDeltas(deltas), null),
  markStepExecuted: (book, { steps }) => {
    for (const s of steps) book.markStepExecuted(s.accountId, s.now);
    return null;
  },
  markStepFailed: (book, { steps }) => {
    for (const s of steps) book.markStepFailed(s.accountId, s.now, s.reason);
    return null;
  },
  summary: (book) => book.summary(),
  queue: (book, { now, offset, limit }) => book.queuePage(now, offset, limit),
  accountView: (book, { accountId, now }) => book.accountView(accountId, now),
  atRisk: (book, query) => book.atRisk(query),
  dueSteps: (book, { now, limit }) => book.dueSteps(now, limit),
  queueChanges: (book, { now, limit, reset }) => book.queueChanges(now, limit, reset),
  histogram: (book) => book.ratioHistogram(),
  marginRows: (book, { limit }) => book.marginRows(limit),
  snapshot: (book, { market }) => book.snapshot({ market }),
  drainChanges: (book) => book.drainChanges(),
};

/**
 * Runs one request of the engine protocol against a book and returns its result (throws what the
 * book throws). The worker's message loop; also usable in-thread. `stats` (the worker's memory
 * figures) and the analytics commands (its analytics thread) are answered by the worker itself.
 */
export function dispatchEngineRequest(book: LiveBook, request: EngineRequest): unknown {
  if (request.type === "stats" || ANALYTICS.has(request.type)) throw new RangeError(`${request.type} is answered by the worker`);
  const handler = (handlers as Partial<Record<EngineCommand, (book: LiveBook, payload: unknown) => unknown>>)[request.type];
  if (!handler) throw new RangeError(`unknown engine command ${String(request.type)}`);
  return handler(book, request.payload);
}
