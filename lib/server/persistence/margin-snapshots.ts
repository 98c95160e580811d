import "server-only";
import type { AccountStatus } from "@/lib/risk";
import type { PrismaClient } from "@/lib/server/db/prisma-client";
import { TRANSACTION_OPTIONS } from "@/lib/server/ingest/sql-errors";

/** One account's figures (spec §3) at `ts`: monitoring figures, float64 allowed. */
export interface MarginSnapshotRow {
  accountId: string;
  /** Epoch ms or a Date. */
  ts: number | Date;
  /** A decimal string (exact, from the ledger) or a number. */
  collateral: string | number;
  equity: number;
  maintenanceMargin: number;
  /** null when equity <= 0. */
  marginRatio: number | null;
  /** An account of unknown status has no snapshot. */
  status: AccountStatus;
}

/**
 * Rows per INSERT statement. Each statement's rows are serialized just before it is sent, so that
 * a flush of a whole book (250,000 rows) holds the event loop a few milliseconds at a time, not
 * for the whole batch.
 */
const ROWS_PER_STATEMENT = 5_000;

const finite = (x: number, what: string, i: number): number => {
  if (!Number.isFinite(x)) throw new Error(`margin snapshot ${i}: ${what} is not finite (${x})`);
  return x;
};

/**
 * Appends margin snapshots (history charts), all in one transaction: one multi-row
 * `INSERT … SELECT FROM json_to_recordset(…)` per 5,000 rows, the rows as one JSON parameter
 * (figures as JSON numbers, read by PostgreSQL as `numeric`, rounded to 18 decimals; `ts` in epoch
 * ms). Returns the number of rows written.
 */
export async function writeMarginSnapshots(prisma: PrismaClient, rows: readonly MarginSnapshotRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  return prisma.$transaction(async (tx) => {
    let written = 0;
    for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
      const input = JSON.stringify(rows.slice(start, start + ROWS_PER_STATEMENT).map((r, k) => {
        const i = start + k;
        return {
          account_id: r.accountId,
          ts: typeof r.ts === "number" ? r.ts : r.ts.getTime(),
          collateral: typeof r.collateral === "string" ? r.collateral : finite(r.collateral, "collateral", i),
          equity: finite(r.equity, "equity", i),
          mm: finite(r.maintenanceMargin, "maintenanceMargin", i),
          ratio: r.marginRatio === null || !Number.isFinite(r.marginRatio) ? null : r.marginRatio,
          status: r.status,
        };
      }));
      written += await tx.$executeRaw`
        INSERT INTO margin_snapshots (account_id, ts, collateral, equity, maintenance_margin, margin_ratio, status)
        SELECT account_id, timestamptz 'epoch' + ts * interval '1 millisecond', collateral, equity, mm, ratio, status::margin_status
          FROM json_to_recordset(${input}::json)
            AS t(account_id text, ts bigint, collateral numeric, equity numeric, mm numeric, ratio float8, status text)`;
    }
    return written;
  }, TRANSACTION_OPTIONS);
}
