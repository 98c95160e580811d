import "server-only";
import { HttpError, NotFoundError } from "@/lib/server/errors";
import Decimal from "decimal.js";
import { InputError, parseInput } from "@/lib/contracts/api-error";
import {
  topUpPreviewRequestSchema, topUpRequestSchema, COLLATERAL_DECIMALS, type TopUpPreview, type TopUpResult, type TopUpSide,
} from "@/lib/contracts/topup";
import {
  addMarginEffect, liquidationTrigger, topUpEffect, type AccountInput, type AddMarginFigures, type MarketBook, type RiskParams, type TopUpFigures,
} from "@/lib/risk";
import type { AccountView } from "@/lib/contracts/book-views";
import type { PrismaClient } from "../db/prisma-client";
import type { Env } from "../env";
import { consumeRateWindow } from "../rate-window";
import type { UserPrincipal } from "../auth/policy";
import { persistTopUp, type PersistedTopUp } from "./persist-top-up";
import { persistAddMargin } from "./persist-add-margin";
import type { MovedIsolatedPosition as IsolatedPositionState } from "../ingest/isolated-margin-moves";

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
  /**
   * A collateral write in turn with the other account writes, the engine told before it resolves
   * (Runtime): the balances, and the isolated positions whose margin it moved (spec §11).
   */
  writeCollateral<T>(write: () => Promise<{ result: T; balances: { accountId: string; collateral: string }[]; positions?: IsolatedPositionState[] }>): Promise<T>;
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

/** The account of a view as the model takes it: isolated positions with their margin (spec §11). */
function accountInputOf(accountId: string, view: AccountView): AccountInput {
  return {
    id: accountId,
    collateral: view.collateral,
    positions: view.positions.map((p) => ({
      marketId: p.marketId, qty: p.qty, entryPrice: p.entryPrice,
      ...(p.isolated ? { marginMode: "isolated" as const, isolatedMargin: p.isolated.isolatedMargin } : {}),
    })),
  };
}

/** An isolated position's side of an add-margin preview, in the shape of a top-up's side (its margin as `collateral`). */
function unitSideOf(f: AddMarginFigures, marketId: string, markPrice: number): TopUpSide {
  return {
    collateral: f.isolatedMargin, equity: f.equity, maintenanceMargin: f.maintenanceMargin, marginRatio: f.marginRatio, status: f.status,
    inQueue: f.inQueue, positions: [{ marketId, markPrice, liquidationPrice: f.liquidationPrice }],
  };
}

const preset = (amount: number | null) => (amount === null ? null : new Decimal(String(amount)).toFixed());

/**
 * `POST /api/v1/accounts/:id/topups/preview`: the account at current marks before and after the
 * amount (ratio, status, queue, liquidation prices; spec §3, §4 through lib/risk), the presets
 * of the top-up-to-safe calculation, and what would happen if liquidation started. Reads only, and
 * only live state: the engine's markets and risk parameters, so that the preview and the engine agree.
 */
export async function previewTopUp(deps: TopUpDeps, accountId: string, body: unknown): Promise<TopUpPreview> {
  const { amount, marketId } = parseInput(topUpPreviewRequestSchema, body);
  checkMax(deps, amount);
  const now = Date.now();
  const view = await deps.accountView(accountId, now);
  if (!view) throw new NotFoundError(`account "${accountId}"`);
  if (view.unpricedMarkets.length > 0) {
    // Spec §7: no mark, no figures — a preview would value the position at a price nobody quoted.
    throw new HttpError(409, "figures_unknown", `the account's figures are unknown: no price yet for ${view.unpricedMarkets.join(", ")}`);
  }
  const account = accountInputOf(accountId, view);
  const book = deps.marketBook;
  const params = deps.riskParams();
  const marks = new Map(view.positions.map((p) => [p.marketId, p.markPrice!]));
  const moved = amount === undefined ? 0 : Number(amount);
  let sides: Pick<TopUpPreview, "before" | "after" | "presets" | "crossCollateral">;
  if (marketId === undefined) {
    const effect = topUpEffect(account, moved, book, marks, params);
    sides = {
      before: sideOf(effect.before), after: sideOf(effect.after), crossCollateral: null,
      presets: { leaveQueue: preset(effect.presets.leaveQueue), healthy: preset(effect.presets.healthy) },
    };
  } else {
    const position = view.positions.find((p) => p.marketId === marketId);
    if (!position?.isolated) {
      throw new InputError([{ path: "marketId", message: `account "${accountId}" holds no open isolated position in "${marketId}": margin is added only to an isolated position` }]);
    }
    const effect = addMarginEffect(account, marketId, moved, book, marks, params);
    sides = {
      before: unitSideOf(effect.before, marketId, position.markPrice!), after: unitSideOf(effect.after, marketId, position.markPrice!),
      crossCollateral: { before: effect.before.collateral, after: effect.after.collateral },
      presets: { leaveQueue: preset(effect.presets.leaveQueue), healthy: preset(effect.presets.healthy) },
    };
  }
  return {
    accountId,
    marketId: marketId ?? null,
    amount: amount ?? null,
    ...sides,
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
  const write = { accountId, amount: request.amount, note, idempotencyKey: request.idempotencyKey, user };
  const marketId = request.marketId;
  const persisted = await deps.writeCollateral<PersistedTopUp>(async () => {
    if (marketId === undefined) {
      const result = await persistTopUp(deps.prisma, write);
      return { result, balances: result.balances };
    }
    const result = await persistAddMargin(deps.prisma, { ...write, marketId });
    return { result, balances: result.balances, positions: result.position ? [result.position] : [] };
  });
  const now = Date.now();
  const view = await deps.accountView(accountId, now);
  if (!view) throw new NotFoundError(`account "${accountId}"`);
  return { replayed: persisted.replayed, entry: persisted.entry, view, serverTime: now };
}
