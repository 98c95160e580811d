import "server-only";
import type { LiquidationEventView } from "@/lib/contracts/desk";
import { LIQUIDATION_SOURCE } from "@/lib/contracts/ingest-positions";
import type { PrismaClient } from "@/lib/server/db/prisma-client";
import { transactionLock } from "@/lib/server/db/transaction-lock";
import { TRANSACTION_OPTIONS } from "@/lib/server/ingest/sql-errors";
import { POSITION_WRITE_LOCK } from "@/lib/server/ingest/persist-positions";
import { closeMismatch, Exact, liquidationFill, settleLiquidationStep, type FillInput, type SettlementEntry } from "@/lib/risk";
import { lockInsuranceFund, readInsuranceFundBalance } from "./insurance-fund";

/** One executed step of the simulated venue (a close of spec §6 that filled at its expected price). */
export interface LiquidationStep extends FillInput {
  accountId: string;
  marketId: string;
  mode: "partial" | "full";
  executedAt: Date | number;
  /**
   * Optional caller key making the step idempotent: a second call with the same key returns the
   * step recorded the first time (`replayed: true`) and changes nothing.
   */
  stepKey?: string;
}

export interface LiquidationStepResult {
  /** true: the stepKey was already recorded; nothing changed and the figures are the recorded ones. */
  replayed: boolean;
  event: LiquidationEventView;
  /** The position after the step ("0" = closed); entry price unchanged. */
  position: { qty: string; entryPrice: string; source: string; lastSeq: string };
  /** Account (cross) collateral after the step: unchanged by a step of an isolated position (spec §11). */
  collateral: string;
  /** Spec §11: an isolated position's margin after the step (0 once closed: what was left went back to cross); null for a cross one. */
  isolatedMargin: string | null;
  /** Paid by the fund to the account (insurance_payment), "0" if none. */
  insurancePayment: string;
  /** Deficit the fund could not pay: the account keeps this negative balance, "0" if none. */
  uncoveredBadDebt: string;
  insuranceFundBalance: string;
  ledgerEntryIds: string[];
  fundEntryIds: string[];
}

/** The position no longer matches the step (changed since it was planned): nothing was written. */
export class StaleStepError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StaleStepError";
  }
}

/**
 * Records one executed liquidation step of the simulated venue in ONE transaction:
 *
 * 1. take the position-write lock, lock the account and position rows (then the insurance fund);
 * 2. settle the step with the pure model (`settleLiquidationStep`, lib/risk: realised PnL, fee,
 *    the deficit the fund pays as far as it can and the uncovered bad debt, all exact);
 * 3. write what it returns in one statement: the position shrinks (entry unchanged, 0 when closed)
 *    and is marked `source = 'liquidation'`, `lastSeq = <event id>`, after the cursor of the ingest
 *    source that wrote it last is saved in `ingest_cursors` (see persistPositionUpdates); the
 *    account's collateral; its ledger entries (`realized_pnl`, `liquidation_fee`, then
 *    `insurance_payment`) and the fund's (`fee`, then `deficit_payment`, `uncovered_bad_debt`),
 *    each `balanceAfter` chaining; a `liquidation_events` row with every figure.
 *
 * Ledger keys: `liquidation:<stepKey or event id>:<kind>`. Throws StaleStepError (nothing
 * written) when the position is gone, on the other side, or smaller than `qty`.
 */
export async function persistLiquidationStep(prisma: PrismaClient, step: LiquidationStep): Promise<LiquidationStepResult> {
  const fill = liquidationFill(step);
  const executedAt = new Date(step.executedAt);

  return prisma.$transaction(async (tx) => {
    await transactionLock(tx, POSITION_WRITE_LOCK);
    const [row] = await tx.$queryRaw<{ collateral: string; qty: string; entry_price: string; fee_rate: string; others: number; isolated_margin: string | null }[]>`
      SELECT a.collateral::text AS collateral, p.qty::text AS qty, p.entry_price::text AS entry_price,
             m.liquidation_fee_rate::text AS fee_rate, p.isolated_margin::text AS isolated_margin,
             (SELECT count(*)::int FROM positions o
               WHERE o.account_id = a.id AND o.market_id <> p.market_id AND o.qty <> 0) AS others
        FROM accounts a JOIN positions p ON p.account_id = a.id JOIN markets m ON m.id = p.market_id
       WHERE a.id = ${step.accountId} AND p.market_id = ${step.marketId}
         FOR UPDATE OF a, p`;

    if (step.stepKey !== undefined) {
      const recorded = await recordedStep(tx, step.stepKey);
      if (recorded) return recorded;
    }
    if (!row) throw new StaleStepError(`no position of ${step.accountId} in ${step.marketId}`);
    const mismatch = closeMismatch(new Exact(row.qty), step.side, fill.qty);
    if (mismatch) throw new StaleStepError(`${step.accountId} in ${step.marketId}: ${mismatch}`);

    await lockInsuranceFund(tx);
    const s = settleLiquidationStep(fill, {
      collateral: row.collateral, positionQty: row.qty, entryPrice: row.entry_price, feeRate: row.fee_rate,
      otherOpenPositions: row.others, fundBalance: await readInsuranceFundBalance(tx), isolatedMargin: row.isolated_margin,
    });
    // Spec §11: a closed isolated position's margin left over goes back to the cross balance.
    const released = s.isolatedMargin !== null && s.positionQty.isZero() && s.isolatedMargin.gt(0) ? s.isolatedMargin : null;
    const collateralAfter = released ? s.collateral.plus(released) : s.collateral;
    const marginAfter = released ? new Exact(0) : s.isolatedMargin;
    const ledger = columns(s.ledger, s.balance);
    if (released) {
      ledger.kinds.push("isolated_margin");
      ledger.amounts.push(released.toFixed());
      ledger.balances.push(collateralAfter.toFixed());
      ledger.modes.push("cross");
    }
    const isolatedMarket = s.isolatedMargin === null ? null : step.marketId;
    const fund = columns(s.fund, "cross");
    const { qty, fillPrice, markPrice } = fill;

    const [written] = await tx.$queryRaw<{ event_id: bigint; ledger_ids: bigint[]; fund_ids: bigint[] }[]>`
      WITH event AS (
        INSERT INTO liquidation_events (account_id, market_id, side, qty, price, mark_price, notional, fee, slippage,
                                        realized_pnl, deficit, mode, executed_at)
        VALUES (${step.accountId}, ${step.marketId}, ${step.side}::side, ${qty.toFixed()}::numeric, ${fillPrice.toFixed()}::numeric,
                ${markPrice.toFixed()}::numeric, ${s.notional.toFixed()}::numeric, ${s.fee.toFixed()}::numeric,
                ${s.slippage.toFixed()}::numeric, ${s.realizedPnl.toFixed()}::numeric, ${s.deficit.toFixed()}::numeric,
                ${step.mode}::liquidation_mode, ${executedAt})
        RETURNING id
      ), position AS (
        UPDATE positions SET qty = ${s.positionQty.toFixed()}::numeric, source = ${LIQUIDATION_SOURCE},
                             isolated_margin = ${marginAfter?.toFixed() ?? null}::numeric,
                             last_seq = (SELECT id FROM event), updated_at = now()
         WHERE account_id = ${step.accountId} AND market_id = ${step.marketId}
      ), replaced_source AS (
        INSERT INTO ingest_cursors AS c (source, kind, key, last_seq, updated_at)
        SELECT source, 'position'::ingest_kind, account_id || '/' || market_id, last_seq, now() FROM positions
         WHERE account_id = ${step.accountId} AND market_id = ${step.marketId} AND source <> ${LIQUIDATION_SOURCE}
        ON CONFLICT (source, kind, key) DO UPDATE SET last_seq = excluded.last_seq, updated_at = excluded.updated_at
          WHERE c.last_seq < excluded.last_seq
      ), account AS (
        UPDATE accounts SET collateral = ${collateralAfter.toFixed()}::numeric, updated_at = now() WHERE id = ${step.accountId}
      ), ledger AS (
        INSERT INTO collateral_ledger (account_id, kind, amount, balance_after, idempotency_key, liquidation_event_id, balance, market_id)
        SELECT ${step.accountId}, t.kind::collateral_kind, t.amount, t.balance_after,
               'liquidation:' || coalesce(${step.stepKey ?? null}::text, (SELECT id FROM event)::text) || ':' || t.kind,
               (SELECT id FROM event), t.balance::margin_mode, ${isolatedMarket}::text
          FROM unnest(${ledger.kinds}::text[], ${ledger.amounts}::numeric[], ${ledger.balances}::numeric[], ${ledger.modes}::text[])
               WITH ORDINALITY AS t(kind, amount, balance_after, balance, n)
         ORDER BY t.n
        RETURNING id
      ), fund AS (
        INSERT INTO insurance_fund_ledger (kind, amount, balance_after, liquidation_event_id)
        SELECT t.kind::insurance_fund_kind, t.amount, t.balance_after, (SELECT id FROM event)
          FROM unnest(${fund.kinds}::text[], ${fund.amounts}::numeric[], ${fund.balances}::numeric[])
               WITH ORDINALITY AS t(kind, amount, balance_after, n)
         ORDER BY t.n
        RETURNING id
      )
      SELECT (SELECT id FROM event) AS event_id,
             (SELECT array_agg(id ORDER BY id) FROM ledger) AS ledger_ids,
             (SELECT array_agg(id ORDER BY id) FROM fund) AS fund_ids`;
    if (!written) throw new Error("liquidation step: nothing written");
    const eventId = String(written.event_id);
    return {
      replayed: false,
      event: {
        id: eventId, accountId: step.accountId, marketId: step.marketId, side: step.side, qty: qty.toFixed(),
        price: fillPrice.toFixed(), markPrice: markPrice.toFixed(), notional: s.notional.toFixed(), fee: s.fee.toFixed(),
        slippage: s.slippage.toFixed(), realizedPnl: s.realizedPnl.toFixed(), deficit: s.deficit.toFixed(), mode: step.mode,
        executedAt: executedAt.getTime(),
      },
      position: { qty: s.positionQty.toFixed(), entryPrice: new Exact(row.entry_price).toFixed(), source: LIQUIDATION_SOURCE, lastSeq: eventId },
      collateral: collateralAfter.toFixed(),
      isolatedMargin: marginAfter?.toFixed() ?? null,
      insurancePayment: s.insurancePayment.toFixed(),
      uncoveredBadDebt: s.uncoveredBadDebt.toFixed(),
      insuranceFundBalance: s.fundBalance.toFixed(),
      ledgerEntryIds: written.ledger_ids.map(String),
      fundEntryIds: written.fund_ids.map(String),
    };
  }, TRANSACTION_OPTIONS);
}

/** Ledger entries as the arrays the statement unnests, amounts as exact decimal text, each with the balance it moves. */
function columns(entries: readonly SettlementEntry<string>[], balance: "cross" | "isolated"): { kinds: string[]; amounts: string[]; balances: string[]; modes: string[] } {
  return {
    kinds: entries.map((e) => e.kind),
    amounts: entries.map((e) => e.amount.toFixed()),
    balances: entries.map((e) => e.balanceAfter.toFixed()),
    modes: entries.map(() => balance),
  };
}

type Tx = Parameters<typeof lockInsuranceFund>[0];

/** The step already recorded under `stepKey`, as persistLiquidationStep returned it, or null. */
async function recordedStep(tx: Tx, stepKey: string): Promise<LiquidationStepResult | null> {
  const [e] = await tx.$queryRaw<{
    id: bigint; account_id: string; market_id: string; side: "buy" | "sell"; qty: string; price: string; mark_price: string;
    notional: string; fee: string; slippage: string; realized_pnl: string; deficit: string; mode: "partial" | "full";
    executed_at: Date; pos_qty: string; entry_price: string; pos_source: string; last_seq: bigint; collateral: string; isolated_margin: string | null;
  }[]>`
    SELECT e.id, e.account_id, e.market_id, e.side::text AS side, trim_scale(e.qty)::text AS qty,
           trim_scale(e.price)::text AS price, trim_scale(e.mark_price)::text AS mark_price,
           trim_scale(e.notional)::text AS notional, trim_scale(e.fee)::text AS fee,
           trim_scale(e.slippage)::text AS slippage, trim_scale(e.realized_pnl)::text AS realized_pnl,
           trim_scale(e.deficit)::text AS deficit, e.mode::text AS mode, e.executed_at,
           trim_scale(p.qty)::text AS pos_qty, trim_scale(p.entry_price)::text AS entry_price, p.source AS pos_source,
           p.last_seq, trim_scale(a.collateral)::text AS collateral, trim_scale(p.isolated_margin)::text AS isolated_margin
      FROM collateral_ledger l
      JOIN liquidation_events e ON e.id = l.liquidation_event_id
      JOIN positions p ON p.account_id = e.account_id AND p.market_id = e.market_id
      JOIN accounts a ON a.id = e.account_id
     WHERE l.idempotency_key = ${`liquidation:${stepKey}:realized_pnl`}`;
  if (!e) return null;
  const ledger = await tx.$queryRaw<{ id: bigint; kind: string; amount: string }[]>`
    SELECT id, kind::text AS kind, trim_scale(amount)::text AS amount FROM collateral_ledger
     WHERE liquidation_event_id = ${e.id} ORDER BY id`;
  const fund = await tx.$queryRaw<{ id: bigint; kind: string; amount: string; balance_after: string }[]>`
    SELECT id, kind::text AS kind, trim_scale(amount)::text AS amount, trim_scale(balance_after)::text AS balance_after
      FROM insurance_fund_ledger WHERE liquidation_event_id = ${e.id} ORDER BY id`;
  const amountOf = (rows: { kind: string; amount: string }[], kind: string) => rows.find((r) => r.kind === kind)?.amount;
  return {
    replayed: true,
    event: {
      id: String(e.id), accountId: e.account_id, marketId: e.market_id, side: e.side, qty: e.qty, price: e.price,
      markPrice: e.mark_price, notional: e.notional, fee: e.fee, slippage: e.slippage, realizedPnl: e.realized_pnl,
      deficit: e.deficit, mode: e.mode, executedAt: e.executed_at.getTime(),
    },
    // As they stand now (later ingest may have changed them since the step).
    position: { qty: e.pos_qty, entryPrice: e.entry_price, source: e.pos_source, lastSeq: String(e.last_seq) },
    collateral: e.collateral,
    isolatedMargin: e.isolated_margin,
    insurancePayment: amountOf(ledger, "insurance_payment") ?? "0",
    uncoveredBadDebt: new Exact(amountOf(fund, "uncovered_bad_debt") ?? "0").neg().toFixed(),
    insuranceFundBalance: await readInsuranceFundBalance(tx),
    ledgerEntryIds: ledger.map((r) => String(r.id)),
    fundEntryIds: fund.map((r) => String(r.id)),
  };
}
