import "server-only";
import { InputError, type FieldError } from "@/lib/contracts/api-error";
import type { PositionUpdate } from "@/lib/contracts/ingest-positions";
import type { PrismaClient } from "@/lib/server/db/prisma-client";
import { validateLotQuantity } from "@/lib/risk";
import { Exact } from "@/lib/server/execution/exact-decimal";
import type { MarketLookup } from "./market-lookup";
import { TRANSACTION_OPTIONS } from "./sql-errors";

/** A position as it now stands, after an applied update (decimal strings, exactly as ingested). */
export interface AppliedPosition {
  accountId: string;
  marketId: string;
  /** Signed base quantity; "0" = closed. */
  qty: string;
  entryPrice: string;
}

export interface PersistPositionsResult {
  /** The new state of every position that changed, one per (account, market), in batch order. */
  applied: AppliedPosition[];
  /** Updates not applied: older than or as old as what this source already applied, or superseded in the batch. */
  ignored: number;
  /** Accounts that did not exist before this batch (created with collateral 0). */
  newAccountIds: string[];
}

/**
 * Semantic checks the schema cannot make: every market is known and every quantity is a whole
 * number of that market's lots (the exact decimal `n × lotSize`, with `n` small enough to count
 * exactly). Throws an InputError naming `updates[i].marketId` / `updates[i].qty`.
 */
export function validatePositionUpdates(updates: readonly PositionUpdate[], markets: MarketLookup): void {
  const fields: FieldError[] = [];
  updates.forEach((u, i) => {
    const market = markets(u.marketId);
    if (!market) {
      fields.push({ path: `updates[${i}].marketId`, message: `unknown market "${u.marketId}"` });
      return;
    }
    const problem = new Exact(u.qty).mod(new Exact(String(market.lotSize))).isZero()
      ? validateLotQuantity(Number(u.qty), market.lotSize)
      : `${u.qty} is not a whole number of lots (lotSize ${market.lotSize})`;
    if (problem) fields.push({ path: `updates[${i}].qty`, message: problem });
  });
  if (fields.length > 0) throw new InputError(fields);
}

/**
 * Position ingest (POST /api/v1/ingest/positions): validates the whole batch (unknown market, whole
 * lots), then applies it in one transaction: an advisory lock per source (batches of one source are
 * applied one at a time, in order) and one statement that creates unknown accounts, upserts the
 * positions and advances the source's cursors.
 *
 * Ordering (spec §7) is per source and position: `ingest_cursors(source, 'position',
 * '<accountId>/<marketId>')` holds the last seq applied from that source, so an update whose seq is
 * not greater is ignored (a duplicate is a no-op). Sources are independent sequence spaces: an
 * update from another source is compared with that source's own cursor only, and when it is newer
 * there it replaces the position (the row's `source`/`lastSeq` say which update it now reflects).
 * Within a batch, the update with the highest seq of each position wins (ties: the first).
 * Resolves once committed.
 */
export async function persistPositionUpdates(
  prisma: PrismaClient,
  source: string,
  updates: readonly PositionUpdate[],
  markets: MarketLookup,
): Promise<PersistPositionsResult> {
  validatePositionUpdates(updates, markets);
  if (updates.length === 0) return { applied: [], ignored: 0, newAccountIds: [] };
  const input = JSON.stringify(updates.map((u, idx) => ({
    idx, account_id: u.accountId, market_id: u.marketId, qty: u.qty, entry_price: u.entryPrice, seq: u.seq,
  })));
  const lockKey = `liqdesk.ingest.positions:${source}`;
  // The batch travels as one JSON parameter (parsed by PostgreSQL, not escaped element by element
  // in JavaScript); each update's prior cursor is one primary-key probe, whatever the size of the
  // table; new accounts are matched by a hash join.
  const [, rows] = await prisma.$transaction([
    prisma.$queryRaw`SELECT 1 AS locked FROM (SELECT pg_advisory_xact_lock(hashtext(${lockKey}))) l`,
    prisma.$queryRaw<{ idx: number; new_account: boolean }[]>`
      WITH input AS (
        SELECT * FROM json_to_recordset(${input}::json)
          AS t(idx int, account_id text, market_id text, qty numeric, entry_price numeric, seq bigint)
      ), newest AS (
        SELECT DISTINCT ON (account_id, market_id) * FROM input ORDER BY account_id, market_id, seq DESC, idx
      ), fresh AS (
        SELECT n.* FROM newest n
         WHERE n.seq > coalesce((SELECT c.last_seq FROM ingest_cursors c
                                  WHERE c.source = ${source} AND c.kind = 'position' AND c.key = n.account_id || '/' || n.market_id), -1)
      ), new_accounts AS (
        INSERT INTO accounts (id, updated_at) SELECT DISTINCT account_id, now() FROM fresh
        ON CONFLICT (id) DO NOTHING RETURNING id
      ), upserted AS (
        INSERT INTO positions AS p (account_id, market_id, qty, entry_price, source, last_seq, updated_at)
        SELECT account_id, market_id, qty, entry_price, ${source}, seq, now() FROM fresh
        ON CONFLICT (account_id, market_id) DO UPDATE
          SET qty = excluded.qty, entry_price = excluded.entry_price, source = excluded.source,
              last_seq = excluded.last_seq, updated_at = excluded.updated_at
        RETURNING account_id, market_id
      ), cursors AS (
        INSERT INTO ingest_cursors AS c (source, kind, key, last_seq, updated_at)
        SELECT ${source}, 'position'::ingest_kind, account_id || '/' || market_id, seq, now() FROM fresh
        ON CONFLICT (source, kind, key) DO UPDATE SET last_seq = excluded.last_seq, updated_at = excluded.updated_at
          WHERE c.last_seq < excluded.last_seq
      )
      SELECT f.idx, a.id IS NOT NULL AS new_account
        FROM upserted u JOIN fresh f USING (account_id, market_id)
        LEFT JOIN new_accounts a ON a.id = f.account_id
       ORDER BY f.idx`,
  ], TRANSACTION_OPTIONS);
  const applied: AppliedPosition[] = [];
  const newAccountIds = new Set<string>();
  for (const row of rows) {
    const u = updates[row.idx];
    if (!u) continue;
    applied.push({ accountId: u.accountId, marketId: u.marketId, qty: u.qty, entryPrice: u.entryPrice });
    if (row.new_account) newAccountIds.add(u.accountId);
  }
  return { applied, ignored: updates.length - applied.length, newAccountIds: [...newAccountIds] };
}
