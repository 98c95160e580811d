import { ACCOUNT_STATUSES, type AccountStatus } from "../risk";

/**
 * An account's status in the live book: spec §3's, or `unknown` while it holds a position in a
 * market that has never had a price (spec §7: its figures are unknown, never valued at the entry
 * price; it is neither queued nor liquidated until that market is priced).
 */
export type LiveStatus = AccountStatus | "unknown";

/** Spec §3's statuses, safest to worst, then `unknown`: the index is the book's status code. */
export const LIVE_STATUSES = [...ACCOUNT_STATUSES, "unknown"] as const satisfies readonly LiveStatus[];

/** Status code of `unknown` (after spec §3's five). */
export const STATUS_UNKNOWN = ACCOUNT_STATUSES.length;
