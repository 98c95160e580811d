import "server-only";
import type { Prisma, PrismaClient } from "@/lib/server/db/prisma-client";
import { transactionLock } from "@/lib/server/db/transaction-lock";
import { TRANSACTION_OPTIONS } from "@/lib/server/ingest/sql-errors";
import { Exact } from "@/lib/risk";

/**
 * Serialises writers of the insurance fund ledger for the rest of the transaction, so that each
 * entry's balanceAfter follows the previous one. Writers that also lock accounts take the account
 * rows first, then this lock.
 */
export async function lockInsuranceFund(tx: Prisma.TransactionClient): Promise<void> {
  await transactionLock(tx, "liqdesk.insurance_fund");
}

/** The fund's balance as seen by `db` (inside a transaction holding the lock: the current one). */
export async function readInsuranceFundBalance(db: Prisma.TransactionClient | PrismaClient): Promise<string> {
  const [row] = await db.$queryRaw<{ balance: string }[]>`
    SELECT trim_scale(balance_after)::text AS balance FROM insurance_fund_ledger ORDER BY id DESC LIMIT 1`;
  return row?.balance ?? "0";
}

/** The insurance fund's current balance (decimal string): the balanceAfter of its latest entry, "0" when empty. */
export async function insuranceFundBalance(prisma: PrismaClient): Promise<string> {
  return readInsuranceFundBalance(prisma);
}

export interface InsuranceFundDeposit {
  id: string;
  amount: string;
  balanceAfter: string;
}

/** Pays capital into the fund (a `deposit` entry). `amount` > 0, a decimal string or number. */
export async function depositToInsuranceFund(prisma: PrismaClient, amount: string | number): Promise<InsuranceFundDeposit> {
  return prisma.$transaction((tx) => deposit(tx, amount), TRANSACTION_OPTIONS);
}

/**
 * Seeds the fund with its initial capital: a `deposit` of `amount` when the fund has no entry yet
 * (at start, from configuration); null when it already has history (nothing is changed).
 */
export async function seedInsuranceFund(prisma: PrismaClient, amount: string | number): Promise<InsuranceFundDeposit | null> {
  return prisma.$transaction(async (tx) => {
    await lockInsuranceFund(tx);
    const [any] = await tx.$queryRaw<{ id: bigint }[]>`SELECT id FROM insurance_fund_ledger LIMIT 1`;
    if (any) return null;
    return deposit(tx, amount);
  }, TRANSACTION_OPTIONS);
}

async function deposit(tx: Prisma.TransactionClient, amount: string | number): Promise<InsuranceFundDeposit> {
  const value = new Exact(String(amount));
  if (!value.isFinite() || value.lte(0) || value.decimalPlaces() > 18) {
    throw new Error(`insurance fund deposit must be a decimal > 0 with at most 18 decimals (got ${String(amount)})`);
  }
  await lockInsuranceFund(tx);
  const balance = new Exact(await readInsuranceFundBalance(tx)).plus(value);
  const [row] = await tx.$queryRaw<{ id: bigint }[]>`
    INSERT INTO insurance_fund_ledger (kind, amount, balance_after)
    VALUES ('deposit'::insurance_fund_kind, ${value.toFixed()}::numeric, ${balance.toFixed()}::numeric) RETURNING id`;
  return { id: String(row!.id), amount: value.toFixed(), balanceAfter: balance.toFixed() };
}
