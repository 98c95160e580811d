import "server-only";
import Decimal from "decimal.js";
import { InputError } from "@/lib/contracts/api-error";
import { BOUNDS } from "@/lib/risk/bounds";
import type { PrismaClient } from "../db/prisma-client";
import { balanceOutOfRange, ExactDecimal } from "../ingest/balance-range";
import { HttpError, NotFoundError } from "../errors";
import { isUniqueViolation } from "../ingest/sql-errors";
import type { UserPrincipal } from "../auth/policy";

export interface TopUpWrite {
  accountId: string;
  /** Canonical decimal string, > 0. */
  amount: string;
  note: string | null;
  idempotencyKey: string;
  user: UserPrincipal;
}

export interface PersistedTopUp {
  replayed: boolean;
  entry: { id: string; accountId: string; amount: string; balanceAfter: string; note: string | null; createdAt: number; marketId?: string };
  /** The account's collateral after a new entry (for the engine); empty on a replay. */
  balances: { accountId: string; collateral: string }[];
}

/** Keys are the user's own: two users choosing the same key never meet. */
export function topUpLedgerKey(userId: string, idempotencyKey: string): string {
  return `topup:${userId}:${idempotencyKey}`;
}

type LedgerRow = { id: bigint; accountId: string; amount: Decimal; balanceAfter: Decimal; note: string | null; createdAt: Date };

function entryOf(row: LedgerRow): PersistedTopUp["entry"] {
  return {
    id: row.id.toString(), accountId: row.accountId, amount: row.amount.toFixed(), balanceAfter: row.balanceAfter.toFixed(),
    note: row.note, createdAt: row.createdAt.getTime(),
  };
}

/**
 * A manual top-up in one transaction: the account's balance, the `topup` ledger entry and the
 * audit row commit together or not at all. Idempotent per user and key: the same key with the
 * same account, amount and note is a replay (nothing written, the first entry returned); with a
 * different one, 409 `conflict`. A concurrent submit of the same key loses the unique index race
 * and is then a replay.
 */
export async function persistTopUp(prisma: PrismaClient, write: TopUpWrite): Promise<PersistedTopUp> {
  try {
    return await attempt(prisma, write);
  } catch (error) {
    if (isUniqueViolation(error)) return attempt(prisma, write);
    throw error;
  }
}

async function attempt(prisma: PrismaClient, write: TopUpWrite): Promise<PersistedTopUp> {
  const key = topUpLedgerKey(write.user.userId, write.idempotencyKey);
  return prisma.$transaction(async (tx) => {
    const prior = await tx.collateralLedgerEntry.findUnique({ where: { idempotencyKey: key } });
    if (prior) {
      const same = prior.accountId === write.accountId && prior.amount.eq(write.amount) && (prior.note ?? null) === write.note;
      if (!same) {
        throw new HttpError(409, "conflict", `idempotencyKey "${write.idempotencyKey}" was already used for a top-up of ${prior.amount.toFixed()} `
          + `on account "${prior.accountId}"${prior.note ? ` (note "${prior.note}")` : ""}: choose a new key for a new top-up`);
      }
      return { replayed: true, entry: entryOf(prior), balances: [] };
    }
    const [locked] = await tx.$queryRaw<{ collateral: string }[]>`
      SELECT collateral::text AS collateral FROM accounts WHERE id = ${write.accountId} FOR UPDATE`;
    if (!locked) throw new NotFoundError(`account "${write.accountId}"`);
    const after = new ExactDecimal(locked.collateral).plus(write.amount);
    if (after.abs().gt(BOUNDS.collateral.maxAbs)) {
      throw new InputError([{ path: "amount", message: balanceOutOfRange(write.accountId, after) }]);
    }
    const [account] = await tx.$queryRaw<{ collateral: string }[]>`
      UPDATE accounts SET collateral = collateral + ${write.amount}::numeric, updated_at = now()
       WHERE id = ${write.accountId} RETURNING collateral::text AS collateral`;
    if (!account) throw new NotFoundError(`account "${write.accountId}"`);
    const balanceAfter = new Decimal(account.collateral).toFixed();
    const row = await tx.collateralLedgerEntry.create({
      data: { accountId: write.accountId, kind: "topup", amount: write.amount, balanceAfter, idempotencyKey: key, note: write.note },
    });
    await tx.auditLog.create({
      data: {
        actor: `user:${write.user.userId}`, userId: write.user.userId, action: "topup.create", accountId: write.accountId, note: write.note,
        details: { amount: write.amount, balanceAfter, ledgerEntryId: row.id.toString(), idempotencyKey: write.idempotencyKey, role: write.user.role },
      },
    });
    return { replayed: false, entry: entryOf(row), balances: [{ accountId: write.accountId, collateral: balanceAfter }] };
  });
}
