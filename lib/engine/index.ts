/**
 * The live engine (DESIGN "Engine"), in three rooms:
 * - `book/`: the pure live state (`LiveBook` over `BookState`, `LiquidationQueue`, change
 *   tracking): no I/O, no clock, valued incrementally;
 * - `views/`: the read models over a book (account view and rows, at-risk list, summary, margin
 *   rows, histogram, snapshot, the queue stream's diff, the stress/runway/map analytics);
 * - `alerts/`: the alert rules evaluated as accounts change (pure, attached to the book);
 * - `thread/`: the worker-thread wrapper (`EngineClient`, protocol in `engine-protocol.ts`; the
 *   worker paces revaluations by its own clock and runs its analytics thread) and the what-if pool.
 * No `process.env`, no `server-only`: the server wires it to ingest, Postgres and the socket hub.
 */
export { LiveBook } from "./book/live-book";
export type { BookState, LiveBookOptions } from "./book/book-state";
export { LiquidationQueue, type QueueSource } from "./book/liquidation-queue";
export { CHANGE_SET_MAX_IDS } from "./book/change-tracker";
export { AlertEvaluator } from "./alerts/alert-evaluator";
export { compileAlertRules, type CompiledAlertRule } from "./alerts/compile-rules";
export { accountRow } from "./views/account-row";
export { accountView } from "./views/account-view";
export { atRisk } from "./views/at-risk";
export { accountRowsOf, searchAccountIds, type IdMatch, type IdSearchHit, type IdSearchResult } from "./views/account-search";
export { bookSnapshot } from "./views/book-snapshot";
export { bookSummary } from "./views/book-summary";
export { marginRows } from "./views/margin-rows";
export { QueuePageDiff } from "./views/queue-page-diff";
export { RATIO_EDGES, ratioHistogram } from "./views/ratio-histogram";
export { scenarioOfSnapshot } from "./views/scenario-of-snapshot";
export { fundRunway, liquidationMapOfSnapshot, stressOfSnapshot } from "./views/book-analytics";
export type * from "./engine-types";
export { EngineClient, type EngineClientOptions } from "./thread/engine-client";
export { dispatchEngineRequest, type EngineState } from "./thread/engine-dispatch";
export type * from "./thread/engine-protocol";
export { MUTATIONS } from "./thread/engine-protocol";
