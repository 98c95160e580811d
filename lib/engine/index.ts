/**
 * The live engine (DESIGN "Engine"): pure live state (`LiveBook`, `LiquidationQueue`: no I/O, no
 * clock) and the worker-thread wrapper (`EngineClient`, protocol in `engine-protocol.ts`; the
 * worker paces revaluations by its own clock and runs its analytics thread). No `process.env`, no
 * `server-only`: the server wires it to ingest, Postgres and the socket hub.
 */
export { LiveBook, type LiveBookOptions } from "./book/live-book";
export { LiquidationQueue, type QueueSource } from "./book/liquidation-queue";
export { scenarioOfSnapshot } from "./views/scenario-of-snapshot";
export { fundRunway, liquidationMapOfSnapshot, stressOfSnapshot } from "./views/book-analytics";
export { CHANGE_SET_MAX_IDS } from "./book/change-tracker";
export { RATIO_EDGES } from "./views/ratio-histogram";
export { LIVE_STATUSES, STATUS_UNKNOWN } from "./live-status";
export type * from "./engine-types";
export { EngineClient, type EngineClientOptions } from "./thread/engine-client";
export { dispatchEngineRequest } from "./thread/engine-dispatch";
export type * from "./thread/engine-protocol";
export { MUTATIONS } from "./thread/engine-protocol";
