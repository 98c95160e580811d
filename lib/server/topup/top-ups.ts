import "server-only";
import { HttpError, NotFoundError } from "@/lib/server/errors";
import Decimal from "decimal.js";
import { InputError, parseInput } from "@/lib/contracts/api-error";
import {
  topUpPreviewRequestSchema, topUpRequestSchema, COLLATERAL_DECIMALS, type TopUpPreview, type TopUpResult, type TopUpSide,
} from "@/lib/contracts/topup";
import { liquidationTrigger, topUpEffect, type MarketBook, type RiskParams, type TopUpFigures } from "@/lib/risk";
import type { AccountView } from "@/lib/contracts/book-views";
import type { PrismaClient } from "../db/prisma-client";
import type { Env } from "../env";
import { consumeRateWindow } from "../rate-window";
import type { UserPrincipal } from "../auth/policy";
import { persistTopUp } from "./persist-top-up";

const RATE_WINDOW_MS = 60_000;

/** What a top-up reads and writes: the live account, the engine's markets and risk parameters, the database, the limits. */
export interface TopUpDeps {
  prisma: PrismaClient;
  env: Pick<Env, "LIQDESK_TOPUP_MAX" | "LIQDESK_TOPUP_RATE_LIMIT">;
  accountView(accountId: string, now: number): Promise<AccountView | null>;
  /** The markets the engine runs with (compiled once at start: the preview values positions as the engine does). */
  marketBook: MarketBook;
  /** The parameters the engine runs with. */
  riskParams(): RiskParams;
  /** A collateral write in turn with the other account writes, the engine told before it resolves (Runtime). */
  writeCollateral<T>(write: () => Promise<{ result: T; balances: { accountId: string; collateral: string }[] }>): Promise<T>;
}

function checkMax(deps: TopUpDeps, amount: string | undefined): void {
  const max = deps.env.LIQDESK_TOPUP_MAX;
  if (amount !== undefined && new Decimal(amount).gt(max)) {
    throw new InputError([{ path: "amount", message: `${amount} is above the largest top-up, ${max} USD` }]);
  }
}

function sideOf(f: TopUpFigures): TopUpSide {
  return { ...f, positions: f.positions.map((p) => ({ ...p })) };
}

const preset = (amount: number | null) => (amount === null ? null : new Decimal(String(amount)).toFixed());

/**
 * `POST /api/v1/accounts/:id/topups/preview`: the account at current marks before and after the
 * amount (ratio, status, queue, liquidation prices; spec §3, §4 through lib/risk), the presets
 * of the top-up-to-safe calculation, and what would happen if liquidation started. Reads only, and
 * only live state: the engine's markets and risk parameters, so that the preview and the engine agree.
 */
export async function previewTopUp(deps: TopUpDeps, accountId: string, body: unknown): Promise<TopUpPreview> {
  const { amount } = parseInput(topUpPreviewRequestSchema, body);
  checkMax(deps, amount);
  const now = Date.now();
  const view = await deps.accountView(accountId, now);
  if (!view) throw new NotFoundError(`account "${accountId}"`);
  if (view.unpricedMarkets.length > 0) {
    // Spec §7: no mark, no figures — a preview would value the position at a price nobody quoted.
    throw new HttpError(409, "figures_unknown", `the account's figures are unknown: no price yet for ${view.unpricedMarkets.join(", ")}`);
  }
  const account = {
    id: accountId, collateral: view.collateral, positions: view.positions.map((p) => ({ marketId: p.marketId, qty: p.qty, entryPrice: p.entryPrice })),
  };
  const book = deps.marketBook;
  const params = deps.riskParams();
  const marks = new Map(view.positions.map((p) => [p.marketId, p.markPrice!]));
  const effect = topUpEffect(account, amount === undefined ? 0 : Number(amount), book, marks, params);
  return {
    accountId,
    amount: amount ?? null,
    before: sideOf(effect.before),
    after: sideOf(effect.after),
    presets: { leaveQueue: preset(effect.presets.leaveQueue), healthy: preset(effect.presets.healthy) },
    trigger: liquidationTrigger(account, book, marks, params),
    basis: { collateral: view.collateral, status: view.status, positions: view.positions.map((p) => ({ marketId: p.marketId, qty: p.qty })) },
    maxAmount: deps.env.LIQDESK_TOPUP_MAX,
    decimals: COLLATERAL_DECIMALS,
    serverTime: now,
  };
}

/**
 * `POST /api/v1/accounts/:id/topups`: validated whole first (amount > 0, at most the maximum and
 * COLLATERAL_DECIMALS decimals; a note from the desk), then counted against the user's rate
 * limit, then written in one transaction (balance, ledger, audit) in turn with the other account
 * writes, and the engine updated before the answer: the desk's queue and every page watching the
 * account see it with their next push.
 */
export async function submitTopUp(deps: TopUpDeps, user: UserPrincipal, accountId: string, body: unknown): Promise<TopUpResult> {
  const request = parseInput(topUpRequestSchema, body);
  const note = request.note ? request.note : null;
  if (user.role === "desk" && note === null) {
    throw new InputError([{ path: "note", message: "is required: the desk says why it tops up an account" }]);
  }
  checkMax(deps, request.amount);
  await consumeRateWindow(deps.prisma, `topup:${user.userId}`, deps.env.LIQDESK_TOPUP_RATE_LIMIT, RATE_WINDOW_MS, "top-ups");
  const persisted = await deps.writeCollateral(async () => {
    const result = await persistTopUp(deps.prisma, { accountId, amount: request.amount, note, idempotencyKey: request.idempotencyKey, user });
    return { result, balances: result.balances };
  });
  const now = Date.now();
  const view = await deps.accountView(accountId, now);
  if (!view) throw new NotFoundError(`account "${accountId}"`);
  return { replayed: persisted.replayed, entry: persisted.entry, view, serverTime: now };
}
