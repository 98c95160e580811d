import "server-only";
import Decimal from "decimal.js";
import { InputError, parseInput, type FieldError } from "@/lib/contracts/api-error";
import { issueMarginCallSchema, MARGIN_CALL_MAX_DEADLINE_MS } from "@/lib/contracts/margin-calls";
import type { TopUpPreview } from "@/lib/contracts/topup";
import { formatMarginRatio } from "@/lib/format/percent";
import { formatUsd } from "@/lib/format/usd";
import type { PrismaClient } from "../db/prisma-client";
import type { Env } from "../env";
import type { UserPrincipal } from "../auth/policy";
import { isInDanger, suggestedCallAmount } from "./account-danger";
import type { NewMarginCall } from "./margin-call-store";

/** What checking a call reads: the database (alerts), the largest top-up, the top-up preview (live figures and presets), the clock. */
export interface IssueCheckDeps {
  prisma: PrismaClient;
  env: Pick<Env, "LIQDESK_TOPUP_MAX">;
  /** The account as it is and the top-up-to-safe presets (lib/server/topup previewTopUp, no amount): 404 unknown, 409 figures unknown. */
  preview(accountId: string): Promise<TopUpPreview>;
  now(): number;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * A request to issue a call, checked whole before anything is written: the body's shape (400 naming
 * each field), then, together, a deadline not in the future or more than 30 days ahead
 * (`deadline`), an amount above the largest top-up (`amount`: the trader could not pay it), an
 * alert that does not exist or is about another account (`alertId`), and an account that is not in
 * danger (`accountId`: healthy, with equity ≥ 0). The amount defaults to the tier-aware
 * top-up-to-safe (`suggestedCallAmount`).
 */
export async function checkMarginCall(deps: IssueCheckDeps, user: UserPrincipal, accountId: string, body: unknown): Promise<NewMarginCall> {
  const request = parseInput(issueMarginCallSchema, body);
  const now = deps.now();
  const fields: FieldError[] = [];
  if (request.deadline <= now) {
    fields.push({ path: "deadline", message: `must be in the future (got ${iso(request.deadline)}; the server's clock reads ${iso(now)})` });
  } else if (request.deadline > now + MARGIN_CALL_MAX_DEADLINE_MS) {
    fields.push({ path: "deadline", message: `must be at most 30 days ahead (got ${iso(request.deadline)}; latest ${iso(now + MARGIN_CALL_MAX_DEADLINE_MS)})` });
  }
  const max = deps.env.LIQDESK_TOPUP_MAX;
  if (request.amount !== undefined && new Decimal(request.amount).gt(max)) {
    fields.push({ path: "amount", message: `${request.amount} is above the largest top-up, ${max} USD: the trader could not pay it` });
  }
  if (request.alertId !== undefined) {
    const alert = await deps.prisma.alert.findUnique({ where: { id: BigInt(request.alertId) }, select: { accountId: true } });
    if (!alert) fields.push({ path: "alertId", message: `no alert #${request.alertId}` });
    else if (alert.accountId !== accountId) {
      fields.push({ path: "alertId", message: `alert #${request.alertId} is about ${alert.accountId ? `account "${alert.accountId}"` : "no account"}, not "${accountId}"` });
    }
  }
  const preview = await deps.preview(accountId);
  const before = preview.before;
  if (!isInDanger(before)) {
    fields.push({
      path: "accountId",
      message: `account "${accountId}" is not in danger (healthy, margin ratio ${formatMarginRatio(before.marginRatio, 2)}, equity ${formatUsd(before.equity)} USD): `
        + "a margin call is for an account in warning or worse, or in debt",
    });
  }
  if (fields.length > 0) throw new InputError(fields);
  const suggested = suggestedCallAmount(before, preview.presets.healthy);
  const amount = request.amount ?? suggested;
  if (amount === null) throw new InputError([{ path: "amount", message: "is required: the top-up-to-safe has no amount for this account" }]);
  if (request.amount === undefined && new Decimal(amount).gt(max)) {
    throw new InputError([{ path: "amount", message: `the suggested ${amount} USD is above the largest top-up, ${max} USD: give an amount` }]);
  }
  return {
    accountId,
    amount,
    suggestedAmount: suggested,
    message: request.message,
    deadline: request.deadline,
    alertId: request.alertId ?? null,
    statusAtIssue: before.status,
    ratioAtIssue: before.marginRatio,
    issuer: { userId: user.userId, name: user.name, email: user.email },
  };
}
