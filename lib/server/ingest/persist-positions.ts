import "server-only";
import { InputError, type FieldError } from "@/lib/contracts/api-error";
import { LIQUIDATION_SOURCE, type PositionUpdate } from "@/lib/contracts/ingest-positions";
import type { PrismaClient } from "@/lib/server/db/prisma-client";
import { transactionLock } from "@/lib/server/db/transaction-lock";
import { parseLotSize, validateLotQuantity, type LotSize } from "@/lib/risk";
import type { MarketLookup } from "./market-lookup";
import { TRANSACTION_OPTIONS } from "./sql-errors";

/** A position as it now stands, after an applied update (decimal strings, exactly as ingested). */
export interface AppliedPosition {
  accountId: string;
  marketId: string;
  /** Signed base quantity; "0" = closed. */
  qty: string;
  entryPrice: string;
  /** Spec §11: its own margin (USD) when isolated; null when cross. */
  isolatedMargin: string | null;
}

export interface PersistPositionsResult {
  /** The new state of every position that changed, one per (account, market), in batch order. */
  applied: AppliedPosition[];
  /** Updates not applied: older than or as old as what this source already applied, or superseded in the batch. */
  ignored: number;
  /** Accounts that did not exist before this batch (created with collateral 0), in id order. */
  newAccountIds: string[];
}

/**
 * Semantic checks the schema cannot make: every market is known and every quantity is a whole
 * number of that market's lots (the exact decimal `n × lotSize`, with `n` small enough to count
 * exactly). Throws an InputError naming `updates[i].marketId` / `updates[i].qty`.
 */
export function validatePositionUpdates(updates: readonly PositionUpdate[], markets: MarketLookup): void {
  const fields: FieldError[] = [];
  const lots = new Map<string, LotSize | null>();
  updates.forEach((u, i) => {
    const market = markets(u.marketId);
    if (!market) {
      fields.push({ path: `updates[${i}].marketId`, message: `unknown market "${u.marketId}"` });
      return;
    }
    let lot = lots.get(u.marketId);
    if (lot === undefined) lots.set(u.marketId, (lot = parseLotSize(market.lotSize)));
    const problem = lot && isWholeLots(u.qty, lot)
      ? validateLotQuantity(Number(u.qty), market.lotSize)
      : `${u.qty} is not a whole number of lots (lotSize ${market.lotSize})`;
    if (problem) fields.push({ path: `updates[${i}].qty`, message: problem });
  });
  if (fields.length > 0) throw new InputError(fields);
}

/**
 * Whether a canonical decimal string (as the schema leaves it: no exponent, no trailing zeros) is
 * an exact whole number of lots: at most the lot's decimals, and its digits at that scale a
 * multiple of the lot's units (exact integer arithmetic).
 */
function isWholeLots(qty: string, lot: LotSize): boolean {
  const [whole = "", fraction = ""] = qty.replace(/^[-+]/, "").split(".");
  if (fraction.length > lot.lotDecimals) return false;
  return BigInt(whole + fraction.padEnd(lot.lotDecimals, "0")) % BigInt(lot.lotUnits) === 0n;
}

/**
 * Advisory lock (transactionLock) taken first by every transaction that writes
 * positions: ingest batches of every source, and liquidation steps (which save the cursor of the
 * source they replace, as below).
 */
export const POSITION_WRITE_LOCK = "liqdesk.positions";

/**
 * Position ingest (POST /api/v1/ingest/positions): validates the whole batch (unknown market, whole
 * lots), then applies it in one transaction under the position-write advisory lock (batches are
 * applied one at a time, in order) with one statement that creates unknown accounts, inserts or
 * updates the positions and keeps the sources' cursors.
 *
 * Ordering (spec §7) is per source and position: an update whose seq is not greater than the last
 * one applied from the same source is ignored (a duplicate is a no-op). Sources are independent
 * sequence spaces, and the last seq applied from a source is kept where it costs nothing in the
 * common case of one source per position: the position row's own `source`/`last_seq` while that
 * source is the one that last wrote it, and `ingest_cursors(source, 'position',
 * '<accountId>/<marketId>')` once another source (or a liquidation step) has replaced it — the
 * replaced source's cursor is written there at that moment. So a position costs one write, and a
 * second write only when its source changes. Within a batch, the update with the highest seq of
 * each position wins (ties: the first). Resolves once committed.
 */
export async function persistPositionUpdates(
  prisma: PrismaClient,
  source: string,
  updates: readonly PositionUpdate[],
  markets: MarketLookup,
): Promise<PersistPositionsResult> {
  validatePositionUpdates(updates, markets);
  if (updates.length === 0) return { applied: [], ignored: 0, newAccountIds: [] };
  // The batch travels as five array parameters (PostgreSQL parses them much faster than JSON); the
  // prior state of each position is one primary-key probe, which splits the batch into plain
  // inserts and updates (no speculative insertion: the lock keeps every other writer out); the
  // cursor table is probed only for a position another source (or a liquidation) wrote last.
  const column = <T>(pick: (u: PositionUpdate) => T) => updates.map(pick);
  const [, [written]] = await prisma.$transaction([
    transactionLock(prisma, POSITION_WRITE_LOCK),
    prisma.$queryRaw<{ applied: number[]; new_accounts: string[] }[]>`
      WITH input AS (
        SELECT * FROM unnest(${column((u) => u.accountId)}::text[], ${column((u) => u.marketId)}::text[],
                             ${column((u) => u.qty)}::numeric[], ${column((u) => u.entryPrice)}::numeric[],
                             ${column((u) => u.seq)}::bigint[], ${column((u) => u.marginMode)}::margin_mode[],
                             ${column((u) => u.isolatedMargin ?? null)}::numeric[])
          WITH ORDINALITY AS t(account_id, market_id, qty, entry_price, seq, margin_mode, isolated_margin, n)
      ), newest AS (
        SELECT DISTINCT ON (account_id, market_id) * FROM input ORDER BY account_id, market_id, seq DESC, n
      ), prior AS (
        SELECT n.*, p.source AS prior_source, p.last_seq AS prior_seq
          FROM newest n LEFT JOIN positions p USING (account_id, market_id)
      ), fresh AS (
        SELECT * FROM prior
         WHERE seq > CASE WHEN prior_source = ${source} THEN prior_seq
                          ELSE coalesce((SELECT c.last_seq FROM ingest_cursors c
                                          WHERE c.source = ${source} AND c.kind = 'position'
                                            AND c.key = prior.account_id || '/' || prior.market_id), -1) END
      ), new_accounts AS (
        INSERT INTO accounts (id, updated_at) SELECT DISTINCT account_id, now() FROM fresh WHERE prior_source IS NULL
        ON CONFLICT (id) DO NOTHING RETURNING id
      ), inserted AS (
        INSERT INTO positions (account_id, market_id, qty, entry_price, source, last_seq, margin_mode, isolated_margin, updated_at)
        SELECT account_id, market_id, qty, entry_price, ${source}, seq, margin_mode, isolated_margin, now() FROM fresh WHERE prior_source IS NULL
      ), updated AS (
        UPDATE positions p SET qty = f.qty, entry_price = f.entry_price, source = ${source}, last_seq = f.seq,
                               margin_mode = f.margin_mode, isolated_margin = f.isolated_margin, updated_at = now()
          FROM fresh f
         WHERE f.prior_source IS NOT NULL AND p.account_id = f.account_id AND p.market_id = f.market_id
      ), replaced_sources AS (
        INSERT INTO ingest_cursors AS c (source, kind, key, last_seq, updated_at)
        SELECT prior_source, 'position'::ingest_kind, account_id || '/' || market_id, prior_seq, now() FROM fresh
         WHERE prior_source <> ${source} AND prior_source <> ${LIQUIDATION_SOURCE}
        ON CONFLICT (source, kind, key) DO UPDATE SET last_seq = excluded.last_seq, updated_at = excluded.updated_at
          WHERE c.last_seq < excluded.last_seq
      )
      SELECT coalesce((SELECT array_agg(n::int ORDER BY n) FROM fresh), '{}') AS applied,
             coalesce((SELECT array_agg(id ORDER BY id) FROM new_accounts), '{}') AS new_accounts`,
  ], TRANSACTION_OPTIONS);
  const applied: AppliedPosition[] = (written?.applied ?? []).map((n) => {
    const u = updates[n - 1]!;
    return { accountId: u.accountId, marketId: u.marketId, qty: u.qty, entryPrice: u.entryPrice, isolatedMargin: u.isolatedMargin ?? null };
  });
  return { applied, ignored: updates.length - applied.length, newAccountIds: written?.new_accounts ?? [] };
}
