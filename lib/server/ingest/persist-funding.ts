import "server-only";
import Decimal from "decimal.js";
import { InputError, type FieldError } from "@/lib/contracts/api-error";
import type { IngestFunding } from "@/lib/contracts/ingest-funding";
import { BOUNDS } from "@/lib/risk/bounds";
import type { Prisma, PrismaClient } from "@/lib/server/db/prisma-client";
import { balanceOutOfRange } from "./balance-range";
import { TRANSACTION_OPTIONS } from "./sql-errors";

/** One account's funding payment (decimal strings; amount signed as it moves the collateral). */
export interface FundingDelta {
  accountId: string;
  amount: string;
  balanceAfter: string;
}

export interface PersistFundingResult {
  /** false: this event (market and ts) was already applied; nothing changed. */
  applied: boolean;
  /** funding_events id (of the earlier event on a replay). */
  eventId: string;
  /** One per open position in the market, by account id; empty on a replay. */
  deltas: FundingDelta[];
}

/**
 * A funding event (spec §7), in one transaction: insert the event (unique by market and ts: a
 * replay with the same rate and mark price is a no-op; with a different one it is refused,
 * naming the field), lock the accounts holding the market (in id order), then one set-based
 * statement that moves `round(−qty × markPrice × rate, 18)` (exact `numeric`, rounded half away
 * from zero to the ledger's 18 decimals) for every open position as a `funding` ledger entry with
 * key `funding:<eventId>:<accountId>` and updates each balance; a payment that rounds to 0 writes
 * nothing (no zero-amount entries). Positions are those committed when
 * the event is applied.
 */
export async function persistFunding(prisma: PrismaClient, event: IngestFunding): Promise<PersistFundingResult> {
  const ts = new Date(event.ts);
  return prisma.$transaction(async (tx) => {
    const inserted = await tx.$queryRaw<{ id: bigint }[]>`
      INSERT INTO funding_events (market_id, rate, mark_price, ts)
      VALUES (${event.marketId}, ${event.rate}::numeric, ${event.markPrice}::numeric, ${ts})
      ON CONFLICT (market_id, ts) DO NOTHING RETURNING id`;
    const eventId = inserted[0]?.id;
    if (eventId === undefined) return replayOf(tx, event, ts);

    await tx.$queryRaw`
      SELECT a.id FROM accounts a JOIN positions p ON p.account_id = a.id
       WHERE p.market_id = ${event.marketId} AND p.qty <> 0 ORDER BY a.id FOR UPDATE OF a`;
    // Refused before anything moves when a payment would take a balance out of range (the
    // numeric expression here cannot overflow; the Decimal(38,18) columns below could).
    const beyond = await tx.$queryRaw<{ account_id: string; balance_after: string }[]>`
      SELECT a.id AS account_id, trim_scale(a.collateral + round(-(p.qty * ${event.markPrice}::numeric * ${event.rate}::numeric), 18))::text AS balance_after
        FROM positions p JOIN accounts a ON a.id = p.account_id
       WHERE p.market_id = ${event.marketId} AND p.qty <> 0
         AND abs(a.collateral + round(-(p.qty * ${event.markPrice}::numeric * ${event.rate}::numeric), 18)) > ${BOUNDS.collateral.maxAbs}::numeric
       ORDER BY a.id LIMIT 5`;
    if (beyond.length > 0) {
      throw new InputError(beyond.map((b) => ({ path: "rate", message: `the funding payment ${balanceOutOfRange(b.account_id, b.balance_after)}` })));
    }
    const rows = await tx.$queryRaw<{ account_id: string; amount: string; balance_after: string }[]>`
      WITH legs AS (
        SELECT account_id, round(-(qty * ${event.markPrice}::numeric * ${event.rate}::numeric), 18) AS amount
          FROM positions WHERE market_id = ${event.marketId} AND qty <> 0
      ), paid AS (
        SELECT account_id, amount FROM legs WHERE amount <> 0
      ), moved AS (
        UPDATE accounts a SET collateral = a.collateral + l.amount, updated_at = now()
          FROM paid l WHERE a.id = l.account_id
        RETURNING a.id AS account_id, l.amount, a.collateral AS balance_after
      ), appended AS (
        INSERT INTO collateral_ledger (account_id, kind, amount, balance_after, idempotency_key, funding_event_id)
        SELECT account_id, 'funding'::collateral_kind, amount, balance_after,
               'funding:' || ${eventId}::text || ':' || account_id, ${eventId}
          FROM moved ORDER BY account_id
        RETURNING account_id, amount, balance_after
      )
      SELECT account_id, trim_scale(amount)::text AS amount, trim_scale(balance_after)::text AS balance_after
        FROM appended ORDER BY account_id`;
    return {
      applied: true,
      eventId: String(eventId),
      deltas: rows.map((r) => ({ accountId: r.account_id, amount: r.amount, balanceAfter: r.balance_after })),
    };
  }, TRANSACTION_OPTIONS);
}

async function replayOf(tx: Prisma.TransactionClient, event: IngestFunding, ts: Date): Promise<PersistFundingResult> {
  const [prior] = await tx.$queryRaw<{ id: bigint; rate: string; mark_price: string }[]>`
    SELECT id, trim_scale(rate)::text AS rate, trim_scale(mark_price)::text AS mark_price
      FROM funding_events WHERE market_id = ${event.marketId} AND ts = ${ts}`;
  if (!prior) throw new Error(`funding event ${event.marketId} @ ${ts.toISOString()} vanished`);
  const fields: FieldError[] = [];
  const at = `a funding event for ${event.marketId} at ${ts.toISOString()} was already applied`;
  if (!new Decimal(prior.rate).eq(event.rate)) fields.push({ path: "rate", message: `${at} with rate ${prior.rate}` });
  if (!new Decimal(prior.mark_price).eq(event.markPrice)) {
    fields.push({ path: "markPrice", message: `${at} with markPrice ${prior.mark_price}` });
  }
  if (fields.length > 0) throw new InputError(fields);
  return { applied: false, eventId: String(prior.id), deltas: [] };
}
