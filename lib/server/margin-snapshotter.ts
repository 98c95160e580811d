import "server-only";
import { ACCOUNT_STATUSES } from "@/lib/risk";
import type { MarginRows } from "@/lib/engine";
import type { PrismaClient } from "./db/prisma-client";
import type { Logger } from "./logger";
import type { LiveEngine } from "./live-engine";
import { writeMarginSnapshots, type MarginSnapshotRow } from "./persistence/margin-snapshots";

/**
 * Rows written per flush at most. Each row costs the event loop its serialization and PostgreSQL an
 * insert: a book whose every account moves between two flushes (100,000 accounts under a live
 * feed) would otherwise be 20,000 inserts a second and, with the parameters of the time, ~0.5 s of
 * the main thread per flush (docs/PERFORMANCE.md, "Desk push").
 */
const ROWS_PER_FLUSH = 20_000;
/** Rows per statement: one chunk holds the event loop ~10 ms, then the insert's round trip frees it. */
const ROWS_PER_WRITE = 2_000;

/**
 * Margin history: at a fixed cadence, one snapshot row per account whose figures changed since
 * its last row. The engine keeps which accounts changed (a flag per account) and hands their
 * figures over as columns when asked, at most ROWS_PER_FLUSH per flush, those waiting longest
 * first: when more accounts move than that, each still gets a row every few flushes. Nothing here
 * runs per change set.
 */
export class MarginSnapshotter {
  /** When the last flush finished (or the snapshotter started), and rows of the flush in progress. */
  private lastFlushAt = Date.now();
  private rowsInFlight = 0;
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> | null = null;

  constructor(private readonly engine: LiveEngine, private readonly prisma: PrismaClient, private readonly log: Logger) {}

  start(intervalMs: number): void {
    this.timer = setInterval(() => {
      if (this.writing) return;
      this.writing = this.flush(Date.now())
        .then(() => undefined)
        .catch((error: unknown) => this.log.error({ err: error }, "margin snapshot failed"))
        .finally(() => { this.writing = null; });
    }, intervalMs);
  }

  /** Writes one snapshot of every account changed since the last flush; returns the rows written. */
  async flush(now: number): Promise<number> {
    try {
      const rows = await this.engine.client.marginRows(ROWS_PER_FLUSH);
      this.rowsInFlight = rows.accountIds.length;
      let written = 0;
      // Chunk by chunk, so that building the rows never holds the event loop for the whole book.
      for (let start = 0; start < rows.accountIds.length; start += ROWS_PER_WRITE) {
        written += await writeMarginSnapshots(this.prisma, rowsOf(rows, start, Math.min(rows.accountIds.length, start + ROWS_PER_WRITE), now));
      }
      this.lastFlushAt = Date.now();
      return written;
    } finally {
      this.rowsInFlight = 0;
    }
  }

  /** Rows of the flush in progress not yet committed (0 between flushes) and seconds since the last flush finished. */
  lag(now: number): { backlog: number; ageSeconds: number } {
    return { backlog: this.rowsInFlight, ageSeconds: Math.max(0, now - this.lastFlushAt) / 1000 };
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.writing;
  }
}

function rowsOf(rows: MarginRows, from: number, to: number, ts: number): MarginSnapshotRow[] {
  const out: MarginSnapshotRow[] = [];
  for (let i = from; i < to; i++) {
    const ratio = rows.marginRatio[i]!;
    out.push({
      accountId: rows.accountIds[i]!, ts, collateral: rows.collateral[i]!, equity: rows.equity[i]!,
      maintenanceMargin: rows.maintenanceMargin[i]!, marginRatio: Number.isNaN(ratio) ? null : ratio, status: ACCOUNT_STATUSES[rows.status[i]!]!,
    });
  }
  return out;
}
