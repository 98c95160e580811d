import "server-only";
import Decimal from "decimal.js";
import { InputError, type FieldError } from "@/lib/contracts/api-error";
import type { CollateralEntry, CollateralIngestKind } from "@/lib/contracts/ingest-collateral";
import { BOUNDS } from "@/lib/risk/bounds";
import type { PrismaClient } from "@/lib/server/db/prisma-client";
import { balanceOutOfRange, ExactDecimal } from "./balance-range";
import { checkIsolatedMoves, ledgerAmount, lockIsolatedPositions, writeIsolatedMargins, type MovedIsolatedPosition } from "./isolated-margin-moves";
import { isUniqueViolation, TRANSACTION_OPTIONS } from "./sql-errors";

/** A ledger entry this batch appended (decimal strings). */
export interface AppliedCollateralEntry {
  /** collateral_ledger id. */
  id: string;
  accountId: string;
  kind: CollateralIngestKind;
  /** As given (for `isolated_margin`: signed as it moves the position's margin). */
  amount: string;
  /** The account's collateral right after this entry. */
  balanceAfter: string;
  idempotencyKey: string;
}

export interface PersistCollateralResult {
  /** New entries, in batch order. */
  applied: AppliedCollateralEntry[];
  /** Entries whose idempotency key was already applied (here or earlier in the batch): no-ops. */
  replayed: number;
  /** Collateral of every account an applied entry moved, after the batch (for the engine). */
  balances: { accountId: string; collateral: string }[];
  /** Accounts that did not exist before this batch. */
  newAccountIds: string[];
  /** Spec §11: the isolated positions an `isolated_margin` entry moved, after the batch (for the engine). */
  isolatedPositions: MovedIsolatedPosition[];
}

/**
 * The ledger key of an ingest entry: `ingest:<key>`. Ledger keys share one unique index, and the
 * server derives its own (`topup:<userId>:<key>`, `funding:<eventId>:<accountId>`,
 * `liquidation:<step>:<kind>`): the prefix keeps a feed's keys in a namespace of their own, so
 * no key a feed chooses can pre-empt a top-up, a funding payment or a liquidation step (migration
 * 20261207060000_ingest_key_namespace moved the keys written before).
 */
export const INGEST_KEY_PREFIX = "ingest:";
export function ingestLedgerKey(idempotencyKey: string): string {
  return INGEST_KEY_PREFIX + idempotencyKey;
}

/** An entry as its ledger row holds it (`amount` signed as it moves the cross balance). */
interface LedgerForm { accountId: string; kind: string; amount: string; marketId: string | null }

const ledgerForm = (e: CollateralEntry): LedgerForm =>
  ({ accountId: e.accountId, kind: e.kind, amount: ledgerAmount(e), marketId: e.marketId ?? null });

function sameEntry(a: LedgerForm, b: LedgerForm) {
  return a.accountId === b.accountId && a.kind === b.kind && a.marketId === b.marketId && new Decimal(a.amount).eq(b.amount);
}

function describe(e: LedgerForm) {
  const where = e.marketId === null ? "" : ` (${e.marketId} isolated position)`;
  return `${e.kind} of ${e.amount} on account "${e.accountId}"${where}`;
}

/**
 * Collateral ingest (POST /api/v1/ingest/collateral). Idempotent by `idempotencyKey` (stored as
 * `ingestLedgerKey`): a key already
 * in the ledger with the same account, kind and amount is a no-op (counted as `replayed`); the same
 * key with a different account, kind or amount is refused as invalid input naming
 * `entries[i].idempotencyKey`, and so is a key used twice in the batch for different entries.
 *
 * One transaction: create unknown accounts, lock the accounts (in id order), append the ledger
 * entries and set `accounts.collateral` in one statement, each entry's `balanceAfter` being the
 * running balance in batch order. Balances may go negative (the venue decided the movement; we
 * record it). Resolves once committed.
 */
export async function persistCollateralEntries(
  prisma: PrismaClient,
  entries: readonly CollateralEntry[],
): Promise<PersistCollateralResult> {
  // Duplicate keys within the batch: the first counts, an identical repeat is a replay.
  const firstByKey = new Map<string, number>();
  const fields: FieldError[] = [];
  const candidates: { index: number; entry: CollateralEntry }[] = [];
  entries.forEach((entry, index) => {
    const first = firstByKey.get(entry.idempotencyKey);
    if (first === undefined) {
      firstByKey.set(entry.idempotencyKey, index);
      candidates.push({ index, entry });
      return;
    }
    const earlier = entries[first];
    if (earlier && !sameEntry(ledgerForm(earlier), ledgerForm(entry))) {
      fields.push({
        path: `entries[${index}].idempotencyKey`,
        message: `key "${entry.idempotencyKey}" is used by entries[${first}] for a different entry (${describe(ledgerForm(earlier))})`,
      });
    }
  });
  if (fields.length > 0) throw new InputError(fields);

  const attempt = () => applyCollateral(prisma, candidates, entries.length);
  try {
    return await attempt();
  } catch (error) {
    // A concurrent batch committed one of our keys between our check and our insert: run again,
    // the check now sees it (replay or conflict).
    if (isUniqueViolation(error)) return attempt();
    throw error;
  }
}

/**
 * Refuses the batch (400 naming `entries[i].amount`) when an entry would take its account's
 * running balance beyond ±BOUNDS.collateral.maxAbs: checked on the locked balances, inside the
 * transaction, before anything is written (the sum of movements that are each in range can
 * still leave the range, and a `Decimal(38,18)` column overflows beyond 10²⁰).
 */
function checkBalances(fresh: readonly { index: number; entry: CollateralEntry }[], balances: Map<string, string>): void {
  const running = new Map<string, Decimal>();
  const fields: FieldError[] = [];
  for (const { index, entry } of fresh) {
    const after = (running.get(entry.accountId) ?? new ExactDecimal(balances.get(entry.accountId) ?? 0)).plus(ledgerAmount(entry));
    running.set(entry.accountId, after);
    if (after.abs().gt(BOUNDS.collateral.maxAbs) && fields.length < 20) {
      fields.push({ path: `entries[${index}].amount`, message: balanceOutOfRange(entry.accountId, after) });
    }
  }
  if (fields.length > 0) throw new InputError(fields);
}

async function applyCollateral(
  prisma: PrismaClient,
  candidates: { index: number; entry: CollateralEntry }[],
  total: number,
): Promise<PersistCollateralResult> {
  return prisma.$transaction(async (tx) => {
    const keys = candidates.map((c) => ingestLedgerKey(c.entry.idempotencyKey));
    const existing = await tx.$queryRaw<{ idempotency_key: string; account_id: string; kind: string; amount: string; market_id: string | null }[]>`
      SELECT idempotency_key, account_id, kind::text AS kind, trim_scale(amount)::text AS amount, market_id
        FROM collateral_ledger WHERE idempotency_key = ANY(${keys}::text[])`;
    const known = new Map(existing.map((e) => [e.idempotency_key, { accountId: e.account_id, kind: e.kind, amount: e.amount, marketId: e.market_id }]));
    const conflicts: FieldError[] = [];
    const fresh = candidates.filter(({ index, entry }) => {
      const prior = known.get(ingestLedgerKey(entry.idempotencyKey));
      if (!prior) return true;
      if (!sameEntry(prior, ledgerForm(entry))) {
        conflicts.push({
          path: `entries[${index}].idempotencyKey`,
          message: `key "${entry.idempotencyKey}" was already applied to a different entry (${describe(prior)})`,
        });
      }
      return false;
    });
    if (conflicts.length > 0) throw new InputError(conflicts);
    if (fresh.length === 0) return { applied: [], replayed: total, balances: [], newAccountIds: [], isolatedPositions: [] };

    // Margin moves lock their positions first (the position-write lock, then the rows), as every
    // writer of positions does, then the accounts.
    const positions = await lockIsolatedPositions(tx, fresh.map((f) => f.entry).filter((e) => e.kind === "isolated_margin"));

    const accountIds = [...new Set(fresh.map((f) => f.entry.accountId))].sort();
    const created = await tx.$queryRaw<{ id: string }[]>`
      INSERT INTO accounts (id, updated_at) SELECT unnest(${accountIds}::text[]), now()
      ON CONFLICT (id) DO NOTHING RETURNING id`;
    const locked = await tx.$queryRaw<{ id: string; collateral: string }[]>`
      SELECT id, collateral::text AS collateral FROM accounts WHERE id = ANY(${accountIds}::text[]) ORDER BY id FOR UPDATE`;
    const lockedBalances = new Map(locked.map((a) => [a.id, a.collateral]));
    checkBalances(fresh, lockedBalances);
    const isolatedPositions = checkIsolatedMoves(fresh, lockedBalances, positions);
    await writeIsolatedMargins(tx, isolatedPositions);

    const input = JSON.stringify(fresh.map(({ entry }, ord) => ({
      ord, account_id: entry.accountId, kind: entry.kind, amount: ledgerAmount(entry), idempotency_key: ingestLedgerKey(entry.idempotencyKey),
      note: entry.note ?? null, market_id: entry.marketId ?? null,
    })));
    const rows = await tx.$queryRaw<{ ord: number; id: bigint; balance_after: string }[]>`
      WITH input AS (
        SELECT * FROM json_to_recordset(${input}::json)
          AS t(ord int, account_id text, kind text, amount numeric, idempotency_key text, note text, market_id text)
      ), running AS (
        SELECT i.*, a.collateral + sum(i.amount) OVER (PARTITION BY i.account_id ORDER BY i.ord) AS balance_after
          FROM input i JOIN accounts a ON a.id = i.account_id
      ), appended AS (
        INSERT INTO collateral_ledger (account_id, kind, amount, balance_after, idempotency_key, note, market_id)
        SELECT account_id, kind::collateral_kind, amount, balance_after, idempotency_key, note, market_id FROM running ORDER BY ord
        RETURNING id, idempotency_key, balance_after
      ), balances AS (
        UPDATE accounts a SET collateral = last.balance_after, updated_at = now()
          FROM (SELECT DISTINCT ON (account_id) account_id, balance_after FROM running ORDER BY account_id, ord DESC) last
         WHERE a.id = last.account_id
      )
      SELECT r.ord, ap.id, trim_scale(ap.balance_after)::text AS balance_after
        FROM appended ap JOIN running r USING (idempotency_key) ORDER BY r.ord`;

    const applied: AppliedCollateralEntry[] = rows.map((row) => {
      const { entry } = fresh[row.ord]!;
      return {
        id: String(row.id), accountId: entry.accountId, kind: entry.kind, amount: entry.amount,
        balanceAfter: row.balance_after, idempotencyKey: entry.idempotencyKey,
      };
    });
    const last = new Map<string, string>();
    for (const a of applied) last.set(a.accountId, a.balanceAfter);
    return {
      applied,
      replayed: total - applied.length,
      balances: [...last].map(([accountId, collateral]) => ({ accountId, collateral })),
      newAccountIds: created.map((c) => c.id),
      isolatedPositions,
    };
  }, TRANSACTION_OPTIONS);
}
