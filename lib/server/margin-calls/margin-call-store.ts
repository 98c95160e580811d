import "server-only";
import Decimal from "decimal.js";
import type { AccountStatus } from "@/lib/risk/account-status";
import type { MarginCallCloseReason, MarginCallState, MarginCallView } from "@/lib/contracts/margin-calls";
import { Prisma, type PrismaClient } from "../db/prisma-client";
import { HttpError, NotFoundError } from "../errors";
import { isUniqueViolation } from "../ingest/sql-errors";

/**
 * The margin_calls table (docs/MARGIN-CALLS.md). Every transition is one conditional statement
 * (`WHERE state = 'open'`) that writes its audit row in the same statement: two instances, a retry
 * or a restart racing on one call move it once, and only the winner audits.
 */

/**
 * Deposits and top-ups of call `c`'s account after its ledger mark, USD: what counts towards it.
 * Withdrawals and the other kinds (funding, liquidation fees, realised PnL) do not count.
 */
const CREDITED = Prisma.sql`(SELECT coalesce(sum(l.amount), 0) FROM collateral_ledger l
  WHERE l.account_id = c.account_id AND l.id > c.ledger_mark AND l.kind IN ('deposit', 'topup') AND l.amount > 0)`;

interface CallRow {
  id: bigint;
  account_id: string;
  state: MarginCallState;
  amount: string;
  suggested_amount: string | null;
  message: string;
  deadline: Date;
  issued_at: Date;
  issuer_name: string;
  issuer_email: string;
  alert_id: bigint | null;
  status_at_issue: AccountStatus;
  ratio_at_issue: number | null;
  credited: string;
  closed_at: Date | null;
  closed_by: string | null;
  close_reason: MarginCallCloseReason | null;
  close_note: string | null;
  expiry_alert_id: bigint | null;
}

/** The view's columns: a closed call's credited as recorded, an open one's counted now; who closed it by email. */
const VIEW_SELECT = Prisma.sql`
  SELECT c.id, c.account_id, c.state::text AS state, trim_scale(c.amount)::text AS amount,
         trim_scale(c.suggested_amount)::text AS suggested_amount, c.message, c.deadline, c.issued_at,
         c.issuer_name, c.issuer_email, c.alert_id, c.status_at_issue::text AS status_at_issue, c.ratio_at_issue,
         trim_scale(CASE WHEN c.state = 'open' THEN ${CREDITED} ELSE coalesce(c.credited, 0) END)::text AS credited,
         c.closed_at, CASE WHEN c.closed_by = 'system' THEN 'system' ELSE coalesce(u.email, c.closed_by) END AS closed_by,
         c.close_reason, c.close_note, c.expiry_alert_id
    FROM margin_calls c LEFT JOIN users u ON u.id = c.closed_by`;

function viewOf(r: CallRow): MarginCallView {
  const remaining = r.state === "met" ? new Decimal(0) : Decimal.max(0, new Decimal(r.amount).minus(r.credited));
  return {
    id: r.id.toString(),
    accountId: r.account_id,
    state: r.state,
    amount: r.amount,
    suggestedAmount: r.suggested_amount,
    message: r.message,
    deadline: r.deadline.getTime(),
    issuedAt: r.issued_at.getTime(),
    issuer: { name: r.issuer_name, email: r.issuer_email },
    alertId: r.alert_id?.toString() ?? null,
    statusAtIssue: r.status_at_issue,
    ratioAtIssue: r.ratio_at_issue,
    credited: r.credited,
    remaining: remaining.toFixed(),
    closedAt: r.closed_at?.getTime() ?? null,
    closedBy: r.closed_by,
    closeReason: r.close_reason,
    closeNote: r.close_note,
    expiryAlertId: r.expiry_alert_id?.toString() ?? null,
  };
}

/** An account's calls, newest first (at most `limit`). */
export async function listMarginCalls(prisma: PrismaClient, accountId: string, limit = 50): Promise<MarginCallView[]> {
  const rows = await prisma.$queryRaw<CallRow[]>`${VIEW_SELECT} WHERE c.account_id = ${accountId} ORDER BY c.issued_at DESC, c.id DESC LIMIT ${limit}`;
  return rows.map(viewOf);
}

/** The calls with these ids, in id order. */
export async function marginCallsByIds(prisma: PrismaClient, ids: readonly string[]): Promise<MarginCallView[]> {
  if (ids.length === 0) return [];
  const rows = await prisma.$queryRaw<CallRow[]>`${VIEW_SELECT} WHERE c.id = ANY(${ids.map((id) => BigInt(id))}::bigint[]) ORDER BY c.id`;
  return rows.map(viewOf);
}

/** An open call as the leader keeps it in memory: which account, until when. */
export interface OpenCall {
  id: string;
  accountId: string;
  deadline: number;
}

/** Every open call (the partial index `margin_calls_open_deadline`). */
export async function openMarginCalls(prisma: PrismaClient): Promise<OpenCall[]> {
  const rows = await prisma.$queryRaw<{ id: bigint; account_id: string; deadline: Date }[]>`
    SELECT id, account_id, deadline FROM margin_calls WHERE state = 'open' ORDER BY deadline`;
  return rows.map((r) => ({ id: r.id.toString(), accountId: r.account_id, deadline: r.deadline.getTime() }));
}

/** What the issue writes, checked already (lib/server/margin-calls/issue-margin-call.ts). */
export interface NewMarginCall {
  accountId: string;
  amount: string;
  suggestedAmount: string | null;
  message: string;
  deadline: number;
  alertId: string | null;
  statusAtIssue: AccountStatus;
  ratioAtIssue: number | null;
  issuer: { userId: string; name: string; email: string };
}

/**
 * Writes a new open call and its audit row in one transaction, under the account's row lock (the
 * lock every collateral writer takes): the ledger mark read there is exactly the entries committed
 * before the call, so no deposit is counted twice or missed. 404 for an account the database does
 * not have; 409 when the account has an open call already (checked under the lock, and the partial
 * unique index `margin_calls_one_open` decides any race the check could miss).
 */
export async function insertMarginCall(prisma: PrismaClient, call: NewMarginCall): Promise<OpenCall> {
  try {
    return await prisma.$transaction(async (tx) => {
      const [account] = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM accounts WHERE id = ${call.accountId} FOR UPDATE`;
      if (!account) throw new NotFoundError(`account "${call.accountId}"`);
      const [open] = await tx.$queryRaw<{ id: bigint }[]>`SELECT id FROM margin_calls WHERE account_id = ${call.accountId} AND state = 'open'`;
      if (open) throw openAlready(call.accountId, open.id.toString());
      const [row] = await tx.$queryRaw<{ id: bigint; deadline: Date; ledger_mark: bigint }[]>`
        WITH mark AS (SELECT coalesce(max(id), 0) AS ledger_mark FROM collateral_ledger WHERE account_id = ${call.accountId}),
        created AS (
          INSERT INTO margin_calls (account_id, amount, suggested_amount, message, deadline, issued_by, issuer_name, issuer_email,
                                    alert_id, status_at_issue, ratio_at_issue, ledger_mark)
          SELECT ${call.accountId}, ${call.amount}::numeric, ${call.suggestedAmount}::numeric, ${call.message}, ${new Date(call.deadline)},
                 ${call.issuer.userId}, ${call.issuer.name}, ${call.issuer.email}, ${call.alertId === null ? null : BigInt(call.alertId)}::bigint,
                 ${call.statusAtIssue}::margin_status, ${call.ratioAtIssue}::float8, mark.ledger_mark FROM mark
          RETURNING id, account_id, amount, suggested_amount, deadline, ledger_mark, alert_id, message
        ), audit AS (
          INSERT INTO audit_log (actor, user_id, action, account_id, note, details)
          SELECT ${`user:${call.issuer.userId}`}, ${call.issuer.userId}, 'margin_call.issue', account_id, message,
                 jsonb_build_object('callId', id::text, 'amount', trim_scale(amount)::text, 'suggestedAmount', trim_scale(suggested_amount)::text,
                                    'deadline', deadline, 'ledgerMark', ledger_mark::text, 'alertId', alert_id::text,
                                    'statusAtIssue', ${call.statusAtIssue}::text, 'ratioAtIssue', ${call.ratioAtIssue}::float8)
            FROM created
        )
        SELECT id, deadline, ledger_mark FROM created`;
      return { id: row!.id.toString(), accountId: call.accountId, deadline: row!.deadline.getTime() };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw openAlready(call.accountId, null);
    throw error;
  }
}

function openAlready(accountId: string, id: string | null): HttpError {
  return new HttpError(409, "conflict", `account "${accountId}" has an open margin call already${id ? ` (#${id})` : ""}: `
    + "cancel it first, or wait until it is met or expires");
}

/** A call a transition closed. */
export interface ClosedCall {
  id: string;
  accountId: string;
}

const closedOf = (rows: { id: bigint; account_id: string }[]): ClosedCall[] => rows.map((r) => ({ id: r.id.toString(), accountId: r.account_id }));

/**
 * Open calls of these accounts (every account's with `null`) whose deposits and top-ups since the
 * call reach its amount: met, by "system", with what was credited, audited `margin_call.met`.
 */
export async function meetByCredits(prisma: PrismaClient, accountIds: readonly string[] | null): Promise<ClosedCall[]> {
  if (accountIds !== null && accountIds.length === 0) return [];
  const which = accountIds === null ? Prisma.sql`TRUE` : Prisma.sql`c.account_id = ANY(${[...accountIds]}::text[])`;
  const rows = await prisma.$queryRaw<{ id: bigint; account_id: string }[]>`
    WITH met AS (
      UPDATE margin_calls c SET state = 'met', credited = ${CREDITED}, closed_at = now(), closed_by = 'system', close_reason = 'credits'
       WHERE c.state = 'open' AND ${which} AND ${CREDITED} >= c.amount
      RETURNING c.id, c.account_id, c.amount, c.credited
    ), audit AS (
      INSERT INTO audit_log (actor, action, account_id, note, details)
      SELECT 'system', 'margin_call.met', account_id, 'deposits and top-ups since the call reached its amount',
             jsonb_build_object('callId', id::text, 'reason', 'credits', 'amount', trim_scale(amount)::text, 'credited', trim_scale(credited)::text)
        FROM met
    )
    SELECT id, account_id FROM met`;
  return closedOf(rows);
}

/** The open calls of these accounts, which the engine reports healthy again: met, by "system", audited `margin_call.met`. */
export async function meetByHealth(prisma: PrismaClient, accounts: readonly { accountId: string; marginRatio: number | null }[]): Promise<ClosedCall[]> {
  if (accounts.length === 0) return [];
  const rows = await prisma.$queryRaw<{ id: bigint; account_id: string }[]>`
    WITH input AS (
      SELECT * FROM unnest(${accounts.map((a) => a.accountId)}::text[], ${accounts.map((a) => a.marginRatio)}::float8[]) AS t(account_id, ratio)
    ), met AS (
      UPDATE margin_calls c SET state = 'met', credited = ${CREDITED}, closed_at = now(), closed_by = 'system', close_reason = 'healthy'
        FROM input i WHERE c.account_id = i.account_id AND c.state = 'open'
      RETURNING c.id, c.account_id, c.amount, c.credited, i.ratio
    ), audit AS (
      INSERT INTO audit_log (actor, action, account_id, note, details)
      SELECT 'system', 'margin_call.met', account_id, 'the account is healthy again',
             jsonb_build_object('callId', id::text, 'reason', 'healthy', 'amount', trim_scale(amount)::text, 'credited', trim_scale(credited)::text,
                                'marginRatio', ratio)
        FROM met
    )
    SELECT id, account_id FROM met`;
  return closedOf(rows);
}

/** A call whose deadline passed unmet, and the escalation alert raised for it (null when its rule is disabled). */
export interface ExpiredCall extends ClosedCall {
  amount: string;
  credited: string;
  deadline: number;
}

/**
 * Expires the open calls whose deadline is at or before `now`, in one transaction: those whose
 * credits reached the amount meanwhile are met instead (a deposit the check right after it
 * missed); the rest expire, `raise` raises their escalation alerts in the same transaction (so an
 * expired call without its alert never commits), and each expiry is audited with its alert.
 */
export async function expireDue(
  prisma: PrismaClient, now: number,
  raise: (tx: Prisma.TransactionClient, expired: readonly ExpiredCall[]) => Promise<ReadonlyMap<string, string>>,
): Promise<{ met: ClosedCall[]; expired: ExpiredCall[] }> {
  return prisma.$transaction(async (tx) => {
    const met = await tx.$queryRaw<{ id: bigint; account_id: string }[]>`
      WITH met AS (
        UPDATE margin_calls c SET state = 'met', credited = ${CREDITED}, closed_at = now(), closed_by = 'system', close_reason = 'credits'
         WHERE c.state = 'open' AND c.deadline <= ${new Date(now)} AND ${CREDITED} >= c.amount
        RETURNING c.id, c.account_id, c.amount, c.credited
      ), audit AS (
        INSERT INTO audit_log (actor, action, account_id, note, details)
        SELECT 'system', 'margin_call.met', account_id, 'deposits and top-ups since the call reached its amount',
               jsonb_build_object('callId', id::text, 'reason', 'credits', 'amount', trim_scale(amount)::text, 'credited', trim_scale(credited)::text)
          FROM met
      )
      SELECT id, account_id FROM met`;
    const rows = await tx.$queryRaw<{ id: bigint; account_id: string; amount: string; credited: string; deadline: Date }[]>`
      UPDATE margin_calls c SET state = 'expired', credited = ${CREDITED}, closed_at = now(), closed_by = 'system', close_reason = 'deadline'
       WHERE c.state = 'open' AND c.deadline <= ${new Date(now)}
      RETURNING c.id, c.account_id, trim_scale(c.amount)::text AS amount, trim_scale(c.credited)::text AS credited, c.deadline`;
    const expired = rows.map((r) => ({ id: r.id.toString(), accountId: r.account_id, amount: r.amount, credited: r.credited, deadline: r.deadline.getTime() }));
    if (expired.length > 0) {
      const alerts = await raise(tx, expired);
      const alertIds = expired.map((e) => alerts.get(e.id) ?? null);
      await tx.$executeRaw`
        WITH input AS (
          SELECT * FROM unnest(${expired.map((e) => BigInt(e.id))}::bigint[], ${alertIds}::bigint[]) AS t(id, alert_id)
        ), linked AS (
          UPDATE margin_calls c SET expiry_alert_id = i.alert_id FROM input i WHERE c.id = i.id
          RETURNING c.id, c.account_id, c.amount, c.credited, c.deadline, c.expiry_alert_id
        )
        INSERT INTO audit_log (actor, action, account_id, note, details)
        SELECT 'system', 'margin_call.expired', account_id, 'the deadline passed unmet',
               jsonb_build_object('callId', id::text, 'amount', trim_scale(amount)::text, 'credited', trim_scale(credited)::text,
                                  'deadline', deadline, 'alertId', expiry_alert_id::text)
          FROM linked`;
    }
    return { met: closedOf(met), expired };
  });
}

/**
 * The desk withdraws an open call, with its note, audited `margin_call.cancel` in the same
 * statement. 404 when the account has no such call; 409 when it is not open any more.
 */
export async function cancelMarginCall(
  prisma: PrismaClient, cancel: { accountId: string; callId: string; userId: string; note: string },
): Promise<ClosedCall> {
  const [row] = await prisma.$queryRaw<{ id: bigint; account_id: string }[]>`
    WITH cancelled AS (
      UPDATE margin_calls c SET state = 'cancelled', credited = ${CREDITED}, closed_at = now(), closed_by = ${cancel.userId},
             close_reason = 'desk', close_note = ${cancel.note}
       WHERE c.id = ${BigInt(cancel.callId)} AND c.account_id = ${cancel.accountId} AND c.state = 'open'
      RETURNING c.id, c.account_id, c.amount, c.credited
    ), audit AS (
      INSERT INTO audit_log (actor, user_id, action, account_id, note, details)
      SELECT ${`user:${cancel.userId}`}, ${cancel.userId}, 'margin_call.cancel', account_id, ${cancel.note},
             jsonb_build_object('callId', id::text, 'amount', trim_scale(amount)::text, 'credited', trim_scale(credited)::text)
        FROM cancelled
    )
    SELECT id, account_id FROM cancelled`;
  if (row) return { id: row.id.toString(), accountId: row.account_id };
  const [call] = await prisma.$queryRaw<{ state: string }[]>`
    SELECT state::text AS state FROM margin_calls WHERE id = ${BigInt(cancel.callId)} AND account_id = ${cancel.accountId}`;
  if (!call) throw new NotFoundError(`margin call #${cancel.callId} of account "${cancel.accountId}"`);
  throw new HttpError(409, "conflict", `margin call #${cancel.callId} is ${call.state}, not open: only an open call can be cancelled`);
}
