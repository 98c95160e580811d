/**
 * The live book's statuses (spec §3's five, then `unknown`) are defined once, in the model
 * (lib/risk/account-status.ts); re-exported here for the engine's modules.
 */
export { LIVE_STATUSES, STATUS_UNKNOWN, type LiveStatus } from "../risk";
