import "server-only";
import Decimal from "decimal.js";
import { InputError, type FieldError } from "@/lib/contracts/api-error";
import type { CollateralEntry } from "@/lib/contracts/ingest-collateral";
import type { PositionUpdate } from "@/lib/engine";
import type { Prisma } from "@/lib/server/db/prisma-client";
import { transactionLock } from "@/lib/server/db/transaction-lock";
import { ExactDecimal } from "./balance-range";
import { POSITION_WRITE_LOCK } from "./persist-positions";

/**
 * Spec §11, margin moved between an account's cross balance and one of its isolated positions
 * (collateral entries of kind `isolated_margin`). The entry's `amount` is signed as it moves the
 * position's margin (> 0: from the cross balance into the position); its ledger row is signed as
 * it moves the cross balance (the ledger's own convention: + credits the account), so the ledger
 * amount is its negation.
 */
export function ledgerAmount(entry: Pick<CollateralEntry, "kind" | "amount">): string {
  if (entry.kind !== "isolated_margin") return entry.amount;
  return entry.amount.startsWith("-") ? entry.amount.slice(1) : `-${entry.amount}`;
}

/** An isolated position after the batch's moves (decimal strings), for the engine. */
export interface MovedIsolatedPosition {
  accountId: string;
  marketId: string;
  qty: string;
  entryPrice: string;
  isolatedMargin: string;
}

interface LockedPosition {
  account_id: string;
  market_id: string;
  qty: string;
  entry_price: string;
  margin_mode: string;
  isolated_margin: string | null;
}

const key = (accountId: string, marketId: string) => `${accountId}\u0000${marketId}`;

/**
 * Inside the collateral transaction, before the accounts are locked: takes the position-write lock
 * (every writer of positions takes it first) and locks the named positions. Returns them by key.
 */
export async function lockIsolatedPositions(
  tx: Prisma.TransactionClient,
  moves: readonly CollateralEntry[],
): Promise<Map<string, LockedPosition>> {
  if (moves.length === 0) return new Map();
  await transactionLock(tx, POSITION_WRITE_LOCK);
  const rows = await tx.$queryRaw<LockedPosition[]>`
    SELECT account_id, market_id, trim_scale(qty)::text AS qty, trim_scale(entry_price)::text AS entry_price,
           margin_mode::text AS margin_mode, trim_scale(isolated_margin)::text AS isolated_margin
      FROM positions
     WHERE (account_id, market_id) IN (SELECT * FROM unnest(${moves.map((m) => m.accountId)}::text[], ${moves.map((m) => m.marketId ?? "")}::text[]))
     ORDER BY account_id, market_id FOR UPDATE`;
  return new Map(rows.map((r) => [key(r.account_id, r.market_id), r]));
}

/**
 * The rules of a move, on the locked rows, in batch order (each entry sees the ones before it):
 * the position must be open and isolated (else 400 naming `entries[i].marketId`); a move into the
 * position may not take the account's cross collateral below 0 — it moves collateral the account
 * has, and a cross balance already in debt has none to give; a move out of it may not take the
 * position's margin below 0 (else 400 naming `entries[i].amount`). Deposits, withdrawals and
 * adjustments in the same batch count in the running cross balance (the venue decided those; they
 * may take it negative, as before). Returns the isolated positions after the batch.
 */
export function checkIsolatedMoves(
  fresh: readonly { index: number; entry: CollateralEntry }[],
  balances: Map<string, string>,
  positions: Map<string, LockedPosition>,
): MovedIsolatedPosition[] {
  const fields: FieldError[] = [];
  const cross = new Map<string, Decimal>();
  const margins = new Map<string, Decimal>();
  for (const { index, entry } of fresh) {
    const before = cross.get(entry.accountId) ?? new ExactDecimal(balances.get(entry.accountId) ?? 0);
    const after = before.plus(ledgerAmount(entry));
    cross.set(entry.accountId, after);
    if (entry.kind !== "isolated_margin") continue;
    const marketId = entry.marketId ?? "";
    const k = key(entry.accountId, marketId);
    const position = positions.get(k);
    if (!position || position.qty === "0" || position.margin_mode !== "isolated") {
      const what = !position || position.qty === "0" ? "holds no open position" : "holds a cross position";
      fields.push({ path: `entries[${index}].marketId`, message: `account "${entry.accountId}" ${what} in "${marketId}": margin moves only to or from an isolated position` });
      continue;
    }
    const margin = (margins.get(k) ?? new ExactDecimal(position.isolated_margin ?? 0)).plus(entry.amount);
    margins.set(k, margin);
    if (entry.amount.startsWith("-")) {
      if (margin.lt(0)) {
        fields.push({ path: `entries[${index}].amount`, message: `moves ${entry.amount.slice(1)} USD out of the isolated ${marketId} position of account "${entry.accountId}", which has only ${margin.minus(entry.amount).toFixed()} USD of margin` });
      }
    } else if (after.lt(0)) {
      fields.push({ path: `entries[${index}].amount`, message: `moves ${entry.amount} USD into the isolated ${marketId} position, more than the cross balance allows: account "${entry.accountId}" has ${before.toFixed()} USD of cross collateral` });
    }
  }
  if (fields.length > 0) throw new InputError(fields.slice(0, 20));
  return [...margins].map(([k, margin]) => {
    const p = positions.get(k)!;
    return { accountId: p.account_id, marketId: p.market_id, qty: p.qty, entryPrice: p.entry_price, isolatedMargin: margin.toFixed() };
  });
}

/** Positions as stored (decimal strings) as the engine's position updates: an isolated one's margin is its unit's collateral. */
export function enginePositionsOf(positions: readonly (Omit<MovedIsolatedPosition, "isolatedMargin"> & { isolatedMargin: string | null })[]): PositionUpdate[] {
  return positions.map((p) => ({
    accountId: p.accountId, marketId: p.marketId, qty: Number(p.qty), entryPrice: Number(p.entryPrice),
    isolatedMargin: p.isolatedMargin === null ? null : Number(p.isolatedMargin),
  }));
}

/** Writes each moved position's new margin (inside the transaction, after the checks). */
export async function writeIsolatedMargins(tx: Prisma.TransactionClient, moved: readonly MovedIsolatedPosition[]): Promise<void> {
  if (moved.length === 0) return;
  await tx.$executeRaw`
    UPDATE positions p SET isolated_margin = m.margin, updated_at = now()
      FROM unnest(${moved.map((m) => m.accountId)}::text[], ${moved.map((m) => m.marketId)}::text[], ${moved.map((m) => m.isolatedMargin)}::numeric[])
        AS m(account_id, market_id, margin)
     WHERE p.account_id = m.account_id AND p.market_id = m.market_id`;
}
