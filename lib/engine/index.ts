/**
 * The live engine (DESIGN "Engine"): pure live state (`LiveBook`, `LiquidationQueue`) and the
 * worker-thread wrapper (`EngineClient`, protocol in `engine-protocol.ts`). No I/O, no clock, no
 * `process.env`, no `server-only`: the server wires it to ingest, Postgres and the socket hub.
 */
export { LiveBook, type LiveBookOptions } from "./live-book";
export { LiquidationQueue, type QueueSource } from "./liquidation-queue";
export { scenarioOfSnapshot } from "./scenario-of-snapshot";
export type * from "./engine-types";
export { EngineClient, type EngineClientOptions } from "./engine-client";
export { dispatchEngineRequest } from "./engine-dispatch";
export type * from "./engine-protocol";
export { MUTATIONS } from "./engine-protocol";
