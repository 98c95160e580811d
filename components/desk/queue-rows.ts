import { queueEntryKey, type QueueEntry } from "@/lib/contracts/book-views";

/** A queue entry flattened for the table: what the next step does and the ratio and tier before → after. */
export interface QueueRow {
  entry: QueueEntry;
  /** Unique in the queue (`queueEntryKey`): an account's cross part and each isolated position are rows apart (spec §11). */
  key: string;
  accountId: string;
  /** The unit the step belongs to: the market of an isolated position, `null` for the account's cross part. */
  isolatedMarketId: string | null;
  rank: number;
  ratioBefore: number | null;
  /** after.MM / after.equity of the whole plan; null when equity after ≤ 0; 0 when nothing is left. */
  ratioAfter: number | null;
  /** Maintenance-margin tier (1-based) of the next step's position before → after; null when there is none. */
  tierBefore: number | null;
  tierAfter: number | null;
  marketId: string | null;
  notional: number;
  /** Epoch ms at which the cool-down ends (server clock). */
  dueAt: number;
}

export type QueueSortKey = "rank" | "account" | "ratio" | "market" | "notional" | "due";

export function queueRowOf(entry: QueueEntry, queueTs: number): QueueRow {
  const { after } = entry.plan;
  return {
    entry,
    key: queueEntryKey(entry),
    accountId: entry.accountId,
    isolatedMarketId: entry.isolatedMarketId ?? null,
    rank: entry.rank,
    ratioBefore: entry.marginRatio,
    ratioAfter: after.maintenanceMargin === 0 ? 0 : after.equity > 0 ? after.maintenanceMargin / after.equity : null,
    tierBefore: entry.tierBefore,
    tierAfter: entry.tierAfter,
    marketId: entry.nextStep?.marketId ?? null,
    notional: entry.nextStep?.notional ?? 0,
    dueAt: queueTs + entry.cooldownRemainingMs,
  };
}

/** `null` ratios (equity ≤ 0) sort as the highest. */
function ratioKey(r: number | null): number {
  return r === null ? Number.POSITIVE_INFINITY : r;
}

/** Rows sorted by a column; ties keep queue order. */
export function sortQueueRows(rows: QueueRow[], key: QueueSortKey, dir: "asc" | "desc"): QueueRow[] {
  const sign = dir === "asc" ? 1 : -1;
  const cmp = (a: QueueRow, b: QueueRow): number => {
    switch (key) {
      case "rank": return a.rank - b.rank;
      case "account": return a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : 0;
      case "ratio": return ratioKey(a.ratioBefore) - ratioKey(b.ratioBefore);
      case "market": return (a.marketId ?? "") < (b.marketId ?? "") ? -1 : (a.marketId ?? "") > (b.marketId ?? "") ? 1 : 0;
      case "notional": return a.notional - b.notional;
      case "due": return a.dueAt - b.dueAt;
    }
  };
  return [...rows].sort((a, b) => sign * cmp(a, b) || a.rank - b.rank);
}
