import "server-only";
import Decimal from "decimal.js";
import { InputError } from "@/lib/contracts/api-error";
import type { PrismaClient } from "../db/prisma-client";
import { transactionLock } from "../db/transaction-lock";
import { ExactDecimal } from "../ingest/balance-range";
import { POSITION_WRITE_LOCK } from "../ingest/persist-positions";
import { HttpError, NotFoundError } from "../errors";
import { isUniqueViolation } from "../ingest/sql-errors";
import { topUpLedgerKey, type PersistedTopUp, type TopUpWrite } from "./persist-top-up";

export interface AddMarginWrite extends TopUpWrite {
  /** The market of the account's isolated position. */
  marketId: string;
}

export interface PersistedAddMargin extends PersistedTopUp {
  /** The isolated position after a new move (for the engine); null on a replay. */
  position: { accountId: string; marketId: string; qty: string; entryPrice: string; isolatedMargin: string } | null;
}

/**
 * Spec §11 "add margin": `amount` moves from the account's cross collateral into its isolated
 * position's margin, in one transaction (both balances, the ledger entry and the audit row), as a
 * manual top-up is, with its idempotency (`topup:<userId>:<key>`, the same namespace: a key is one
 * intended top-up of either kind; the same key with another amount, note or position is 409).
 *
 * Refused naming the field, nothing written: `marketId` when the account holds no open isolated
 * position there; `amount` when it is more than the cross balance allows (the cross collateral
 * may not go below 0: the move takes collateral the account has). The ledger entry (kind
 * `isolated_margin`, `market_id` the position) is signed as it moves the cross balance (−amount),
 * its `balanceAfter` the cross balance; the answer's entry says what was added and the margin after.
 */
export async function persistAddMargin(prisma: PrismaClient, write: AddMarginWrite): Promise<PersistedAddMargin> {
  try {
    return await attempt(prisma, write);
  } catch (error) {
    if (isUniqueViolation(error)) return attempt(prisma, write);
    throw error;
  }
}

async function attempt(prisma: PrismaClient, write: AddMarginWrite): Promise<PersistedAddMargin> {
  const key = topUpLedgerKey(write.user.userId, write.idempotencyKey);
  return prisma.$transaction(async (tx) => {
    const prior = await tx.collateralLedgerEntry.findUnique({ where: { idempotencyKey: key } });
    if (prior) {
      const same = prior.accountId === write.accountId && prior.kind === "isolated_margin" && prior.marketId === write.marketId
        && prior.amount.neg().eq(write.amount) && (prior.note ?? null) === write.note;
      if (!same) {
        throw new HttpError(409, "conflict", `idempotencyKey "${write.idempotencyKey}" was already used for another top-up `
          + `(${prior.kind} of ${prior.amount.toFixed()} on account "${prior.accountId}"${prior.marketId ? `, ${prior.marketId}` : ""}): choose a new key for a new top-up`);
      }
      const [now] = await tx.$queryRaw<{ margin: string | null }[]>`
        SELECT trim_scale(isolated_margin)::text AS margin FROM positions WHERE account_id = ${write.accountId} AND market_id = ${write.marketId}`;
      return {
        replayed: true,
        entry: { id: prior.id.toString(), accountId: prior.accountId, amount: write.amount, balanceAfter: now?.margin ?? "0", note: prior.note, createdAt: prior.createdAt.getTime(), marketId: write.marketId },
        balances: [],
        position: null,
      };
    }
    await transactionLock(tx, POSITION_WRITE_LOCK);
    const [position] = await tx.$queryRaw<{ qty: string; entry_price: string; margin_mode: string; isolated_margin: string | null }[]>`
      SELECT trim_scale(qty)::text AS qty, trim_scale(entry_price)::text AS entry_price, margin_mode::text AS margin_mode,
             trim_scale(isolated_margin)::text AS isolated_margin
        FROM positions WHERE account_id = ${write.accountId} AND market_id = ${write.marketId} FOR UPDATE`;
    const [account] = await tx.$queryRaw<{ collateral: string }[]>`
      SELECT collateral::text AS collateral FROM accounts WHERE id = ${write.accountId} FOR UPDATE`;
    if (!account) throw new NotFoundError(`account "${write.accountId}"`);
    if (!position || position.qty === "0" || position.margin_mode !== "isolated") {
      throw new InputError([{ path: "marketId", message: `account "${write.accountId}" holds no open isolated position in "${write.marketId}": margin is added only to an isolated position` }]);
    }
    const cross = new ExactDecimal(account.collateral);
    const crossAfter = cross.minus(write.amount);
    if (crossAfter.lt(0)) {
      throw new InputError([{ path: "amount", message: `${write.amount} USD is more than the cross balance allows: the account has ${cross.toFixed()} USD of cross collateral to move` }]);
    }
    const marginAfter = new ExactDecimal(position.isolated_margin ?? 0).plus(write.amount).toFixed();
    const balanceAfter = new Decimal(crossAfter.toFixed()).toFixed();
    await tx.$executeRaw`UPDATE accounts SET collateral = ${balanceAfter}::numeric, updated_at = now() WHERE id = ${write.accountId}`;
    await tx.$executeRaw`
      UPDATE positions SET isolated_margin = ${marginAfter}::numeric, updated_at = now()
       WHERE account_id = ${write.accountId} AND market_id = ${write.marketId}`;
    const row = await tx.collateralLedgerEntry.create({
      data: {
        accountId: write.accountId, kind: "isolated_margin", amount: `-${write.amount}`, balanceAfter, idempotencyKey: key, note: write.note,
        marketId: write.marketId,
      },
    });
    await tx.auditLog.create({
      data: {
        actor: `user:${write.user.userId}`, userId: write.user.userId, action: "topup.isolated_margin", accountId: write.accountId, note: write.note,
        details: {
          amount: write.amount, marketId: write.marketId, isolatedMarginAfter: marginAfter, collateralAfter: balanceAfter,
          ledgerEntryId: row.id.toString(), idempotencyKey: write.idempotencyKey, role: write.user.role,
        },
      },
    });
    return {
      replayed: false,
      entry: { id: row.id.toString(), accountId: write.accountId, amount: write.amount, balanceAfter: marginAfter, note: write.note, createdAt: row.createdAt.getTime(), marketId: write.marketId },
      balances: [{ accountId: write.accountId, collateral: balanceAfter }],
      position: { accountId: write.accountId, marketId: write.marketId, qty: position.qty, entryPrice: position.entry_price, isolatedMargin: marginAfter },
    };
  });
}
