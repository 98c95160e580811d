import "server-only";
import type { PrismaClient } from "@/lib/server/db/prisma-client";

export type SnapshotStatus = "healthy" | "warning" | "liquidatable" | "backstop" | "bankrupt";

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
  status: SnapshotStatus;
}

/** Rows per INSERT statement: bounds the size of one bind message. */
const ROWS_PER_STATEMENT = 20_000;

const decimalText = (x: string | number, what: string, i: number): string => {
  if (typeof x === "string") return x;
  if (!Number.isFinite(x)) throw new Error(`margin snapshot ${i}: ${what} is not finite (${x})`);
  return String(x); // shortest round-trip form; PostgreSQL reads "1e-7" too, rounding to 18 decimals
};

/**
 * Appends margin snapshots (history charts): one multi-row `INSERT … SELECT FROM unnest(…)` per
 * 20,000 rows, all in one transaction. Returns the number of rows written.
 */
export async function writeMarginSnapshots(prisma: PrismaClient, rows: readonly MarginSnapshotRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  const statements = [];
  for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
    const chunk = rows.slice(start, start + ROWS_PER_STATEMENT);
    const accountIds = chunk.map((r) => r.accountId);
    const times = chunk.map((r) => new Date(r.ts).toISOString());
    const collateral = chunk.map((r, i) => decimalText(r.collateral, "collateral", start + i));
    const equity = chunk.map((r, i) => decimalText(r.equity, "equity", start + i));
    const mm = chunk.map((r, i) => decimalText(r.maintenanceMargin, "maintenanceMargin", start + i));
    const ratios = chunk.map((r) => (r.marginRatio === null || !Number.isFinite(r.marginRatio) ? null : r.marginRatio));
    const statuses = chunk.map((r) => r.status);
    statements.push(prisma.$executeRaw`
      INSERT INTO margin_snapshots (account_id, ts, collateral, equity, maintenance_margin, margin_ratio, status)
      SELECT account_id, ts, collateral, equity, mm, ratio, status::margin_status
        FROM unnest(${accountIds}::text[], ${times}::timestamptz[], ${collateral}::numeric[], ${equity}::numeric[],
                    ${mm}::numeric[], ${ratios}::float8[], ${statuses}::text[])
          AS t(account_id, ts, collateral, equity, mm, ratio, status)`);
  }
  const counts = await prisma.$transaction(statements);
  return counts.reduce((sum, n) => sum + n, 0);
}
