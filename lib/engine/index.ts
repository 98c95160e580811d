/**
 * The live engine (DESIGN "Engine"): pure live state (`LiveBook`, `LiquidationQueue`: no I/O, no
 * clock) and the worker-thread wrapper (`EngineClient`, protocol in `engine-protocol.ts`; the
 * worker paces revaluations by its own clock and runs its analytics thread). No `process.env`, no
 * `server-only`: the server wires it to ingest, Postgres and the socket hub.
 */
export { LiveBook, type LiveBookOptions } from "./live-book";
export { LiquidationQueue, type QueueSource } from "./liquidation-queue";
export { scenarioOfSnapshot } from "./scenario-of-snapshot";
export { fundRunway, liquidationMapOfSnapshot, stressOfSnapshot } from "./book-analytics";
export { CHANGE_SET_MAX_IDS } from "./change-tracker";
export { applyQueueChanges } from "./queue-page-diff";
export { RATIO_EDGES } from "./ratio-histogram";
export type * from "./engine-types";
export { EngineClient, type EngineClientOptions } from "./engine-client";
export { dispatchEngineRequest } from "./engine-dispatch";
export type * from "./engine-protocol";
export { MUTATIONS } from "./engine-protocol";
