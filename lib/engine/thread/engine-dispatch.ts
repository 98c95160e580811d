import type { AlertEvaluator } from "../alerts/alert-evaluator";
import type { LiveBook } from "../book/live-book";
import { accountView } from "../views/account-view";
import { atRisk } from "../views/at-risk";
import { accountRowsOf, searchAccountIds } from "../views/account-search";
import { bookSnapshot } from "../views/book-snapshot";
import { bookSummary } from "../views/book-summary";
import { marginRows } from "../views/margin-rows";
import type { QueuePageDiff } from "../views/queue-page-diff";
import { ratioHistogram } from "../views/ratio-histogram";
import { ANALYTICS, type AnalyticsCommand, type EngineCommand, type EnginePayload, type EngineRequest, type EngineResult } from "./engine-protocol";

/** What the engine's requests run against: the book, the queue rows last published to the desk stream (`queueChanges`'s one consumer), the alert rules over the book. */
export interface EngineState {
  readonly book: LiveBook;
  readonly queueRows: QueuePageDiff;
  readonly alerts: AlertEvaluator;
}

type Handlers = { [K in EngineCommand]: (engine: EngineState, payload: EnginePayload<K>) => EngineResult<K> };

const handlers: Omit<Handlers, "stats" | AnalyticsCommand> = {
  upsertMarkets: ({ book }, { markets }) => (book.upsertMarkets(markets), null),
  applyPrices: ({ book }, { ticks }) => ({ touched: book.applyPrices(ticks) }),
  setStale: ({ book }, { updates }) => {
    for (const u of updates) book.setStale(u.marketId, u.stale);
    return null;
  },
  applyPositions: ({ book }, { updates }) => (book.applyPositions(updates), null),
  applyCollateral: ({ book }, { entries }) => (book.applyCollateral(entries), null),
  applyCollateralDeltas: ({ book }, { deltas }) => (book.applyCollateralDeltas(deltas), null),
  applyFunding: ({ book }, { deltas }) => (book.applyCollateralDeltas(deltas), null),
  markStepExecuted: ({ book }, { steps }) => {
    for (const s of steps) book.markStepExecuted(s.accountId, s.now);
    return null;
  },
  markStepFailed: ({ book }, { steps }) => {
    for (const s of steps) book.markStepFailed(s.accountId, s.now, s.reason);
    return null;
  },
  summary: ({ book }) => bookSummary(book),
  queue: ({ book }, { now, offset, limit }) => book.queue.page(now, offset, limit),
  accountView: ({ book }, { accountId, now }) => accountView(book, accountId, now),
  atRisk: ({ book }, query) => atRisk(book, query),
  searchIds: ({ book }, { q, limit }) => searchAccountIds(book, q, limit),
  accountRows: ({ book }, { ids }) => accountRowsOf(book, ids),
  dueSteps: ({ book }, { now, limit }) => book.queue.dueSteps(now, limit),
  queueChanges: ({ book, queueRows }, { now, limit, reset }) => queueRows.next(book.queue.page(now, 0, limit), reset ?? false),
  histogram: ({ book }) => ratioHistogram(book),
  marginRows: ({ book }, { limit }) => marginRows(book, limit),
  snapshot: ({ book }, { market }) => bookSnapshot(book, { market }),
  drainChanges: ({ book }) => book.drainChanges(),
  setAlertRules: ({ alerts }, { rules, open, now }) => (alerts.setRules(rules, open, now), { rules: alerts.ruleCount }),
  drainAlerts: ({ alerts }, { now }) => alerts.drain(now),
};

/**
 * Runs one request of the engine protocol against the engine's state and returns its result
 * (throws what the book throws). The worker's message loop; also usable in-thread. `stats` (the
 * worker's memory figures) and the analytics commands (its analytics thread) are answered by the
 * worker itself.
 */
export function dispatchEngineRequest(engine: EngineState, request: EngineRequest): unknown {
  if (request.type === "stats" || ANALYTICS.has(request.type)) throw new RangeError(`${request.type} is answered by the worker`);
  const handler = (handlers as Partial<Record<EngineCommand, (engine: EngineState, payload: unknown) => unknown>>)[request.type];
  if (!handler) throw new RangeError(`unknown engine command ${String(request.type)}`);
  return handler(engine, request.payload);
}
