import "server-only";
import { EngineClient, type ChangeSet, type PriceUpdate } from "@/lib/engine";
import { queueEntryKey, type QueueEntry } from "@/lib/contracts/book-views";
import type { LiquidationEventView } from "@/lib/contracts/desk";
import { buildMarketBook, compileMarket, resolveRiskParams, type Close, type CompiledMarket, type MarketBook, type MarketParams, type RiskParams } from "@/lib/risk";
import type { PrismaClient } from "./db/prisma-client";
import type { Logger } from "./logger";
import { serverMetrics } from "./metrics";
import { persistLiquidationStep, StaleStepError } from "./execution/persist-liquidation-step";

/** Longest failure reason shown in a queue entry's `pausedReason` (the log has the whole error). */
const REASON_MAX = 200;

/** An error as one short line for the desk (Prisma's messages span lines). */
function failureReason(error: unknown): string {
  const text = (error instanceof Error ? error.message : String(error)).replace(/\s+/g, " ").trim();
  return text.length > REASON_MAX ? `${text.slice(0, REASON_MAX - 1)}…` : text;
}

/** Liquidation steps executed per executor pass at most: one pass never holds the loop long. */
const STEPS_PER_PASS = 50;

/** An executed step, and the bad debt it left that the fund could not pay (decimal string, "0" if none). */
export type StepListener = (event: LiquidationEventView, step: { uncoveredBadDebt: string }) => void;

export interface LiveEngineOptions {
  prisma: PrismaClient;
  log: Logger;
  markets: MarketParams[];
  params?: Partial<RiskParams>;
}

/**
 * The engine worker and what feeds it: its state rebuilt from PostgreSQL at start, every
 * committed change passed on, and (when execution is on) the simulated venue that executes each
 * due step as one database transaction before the engine is told.
 */
export class LiveEngine {
  private executorTimer: NodeJS.Timeout | null = null;
  private executing: Promise<void> | null = null;
  private readonly stepListeners = new Set<StepListener>();
  /** The last failure logged per account (one log line per account per distinct reason). */
  private readonly failureLogged = new Map<string, string>();

  private constructor(
    readonly client: EngineClient,
    /** The parameters the engine runs with (spec §6 defaults under `LiveEngineOptions.params`). */
    readonly params: RiskParams,
    /** The markets the engine runs with, compiled (spec §2): the same book for the top-up preview (kept in step by `upsertMarkets`). */
    private readonly markets: Map<string, CompiledMarket>,
    private readonly prisma: PrismaClient,
    private readonly log: Logger,
  ) {}

  /** Starts the worker and loads every account's collateral and open positions from PostgreSQL. */
  static async start(options: LiveEngineOptions, marks: PriceUpdate[]): Promise<LiveEngine> {
    const { prisma } = options;
    const [positions, accounts] = await Promise.all([
      prisma.$queryRaw<{ account_id: string; market_id: string; qty: number; entry_price: number; isolated_margin: number | null }[]>`
        SELECT account_id, market_id, qty::float8 AS qty, entry_price::float8 AS entry_price, isolated_margin::float8 AS isolated_margin
          FROM positions WHERE qty <> 0 ORDER BY account_id, market_id`,
      prisma.$queryRaw<{ id: string; collateral: number }[]>`SELECT id, collateral::float8 AS collateral FROM accounts`,
    ]);
    const client = await EngineClient.start({
      markets: options.markets,
      params: options.params,
      expectedAccounts: accounts.length,
      expectedPositions: positions.length,
    });
    if (marks.length) await client.applyPrices(marks);
    await client.applyCollateral(accounts.map((a) => ({ accountId: a.id, amount: Number(a.collateral) })));
    await client.applyPositions(positions.map((p) => ({
      accountId: p.account_id, marketId: p.market_id, qty: Number(p.qty), entryPrice: Number(p.entry_price),
      isolatedMargin: p.isolated_margin === null ? null : Number(p.isolated_margin),
    })));
    options.log.info({ accounts: accounts.length, positions: positions.length }, "engine rebuilt from PostgreSQL");
    return new LiveEngine(client, resolveRiskParams(options.params), new Map(buildMarketBook(options.markets)), prisma, options.log);
  }

  /** The markets the engine runs with, compiled: one live map, so that holders of it see every reload. */
  get marketBook(): MarketBook {
    return this.markets;
  }

  /**
   * Adds or replaces markets in the running engine (checked whole by the worker first: a refused
   * batch changes nothing), then in the market book the top-up preview reads. Positions in a
   * changed market are revalued at once; a new market is unpriced until its first mark.
   */
  async upsertMarkets(markets: MarketParams[]): Promise<void> {
    if (markets.length === 0) return;
    await this.client.upsertMarkets(markets);
    for (const m of markets) this.markets.set(m.id, compileMarket(m));
  }

  onChanges(listener: (changes: ChangeSet) => void): () => void {
    return this.client.onChanges(listener);
  }

  onStep(listener: StepListener): () => void {
    this.stepListeners.add(listener);
    return () => this.stepListeners.delete(listener);
  }

  /**
   * Runs the simulated venue: every `intervalMs`, executes the steps whose cool-down has passed.
   * `serialize` runs each pass in the caller's write order (after earlier ingests are applied).
   */
  startExecutor(intervalMs: number, serialize: <T>(task: () => Promise<T>) => Promise<T> = (task) => task()): void {
    const pass = () => {
      this.executing = serialize(() => this.executeDueSteps(Date.now()))
        .then(() => undefined)
        .catch((error: unknown) => this.log.error({ err: error }, "liquidation executor pass failed"))
        .finally(() => {
          this.executing = null;
          if (this.executorTimer) this.executorTimer = setTimeout(pass, intervalMs);
        });
    };
    this.executorTimer = setTimeout(pass, intervalMs);
  }

  /**
   * Executes every due step (at most STEPS_PER_PASS), each in its own transaction. One account's
   * failure never stops the pass: its step is recorded as failed (a metric, one log line per
   * account per distinct reason) and the engine pauses it with `execution failed: <reason>` for the
   * cool-down, then retries it; the other due steps run.
   */
  async executeDueSteps(now: number): Promise<number> {
    const due = await this.client.dueSteps(now, STEPS_PER_PASS);
    let executed = 0;
    for (const entry of due) {
      try {
        if (await this.executeStep(entry, now)) executed++;
        this.failureLogged.delete(queueEntryKey(entry));
      } catch (error) {
        await this.recordFailure(queueEntryKey(entry), error, now);
      }
    }
    return executed;
  }

  private async recordFailure(accountId: string, error: unknown, now: number): Promise<void> {
    const reason = failureReason(error);
    serverMetrics().liquidationStepFailures.inc();
    if (this.failureLogged.get(accountId) !== reason) {
      this.failureLogged.set(accountId, reason);
      this.log.error({ err: error, accountId }, "liquidation step failed: account paused, retried after the cool-down");
    }
    await this.client.markStepFailed([{ accountId, now, reason }]);
  }

  /**
   * Executes one step: the next close in mode `partial`; in mode `full` every close of the plan,
   * one after the other at once (spec §6.5: the whole plan is one step, no cool-down between its
   * closes). Each close is its own transaction; the engine hears each as it commits.
   */
  private async executeStep(entry: QueueEntry, now: number): Promise<boolean> {
    if (!entry.nextStep || entry.mode === "none") return false;
    const closes = entry.mode === "full" ? entry.plan.closes : [entry.nextStep];
    let executed = 0;
    try {
      for (const step of closes) {
        if (!(await this.executeClose(entry.accountId, entry.mode, step, now))) break;
        executed++;
      }
    } finally {
      // A full plan that failed part way: what did execute starts the account's cool-down all the same.
      // The cool-down is the unit's (spec §11): the account's cross part or its isolated position.
      if (executed > 0) await this.client.markStepExecuted([{ accountId: queueEntryKey(entry), now }]);
    }
    return executed > 0;
  }

  private async executeClose(accountId: string, mode: "partial" | "full", step: Close, now: number): Promise<boolean> {
    try {
      const result = await persistLiquidationStep(this.prisma, {
        accountId,
        marketId: step.marketId,
        side: step.side,
        qty: String(step.qty),
        fillPrice: String(step.expectedPrice),
        markPrice: String(step.markPrice),
        // fee and slippage are left to the transaction, which computes them exactly in decimals.
        mode,
        executedAt: now,
      });
      await this.client.applyPositions([{
        accountId, marketId: step.marketId,
        qty: Number(result.position.qty), entryPrice: Number(result.position.entryPrice),
        isolatedMargin: result.isolatedMargin === null ? null : Number(result.isolatedMargin),
      }]);
      await this.client.applyCollateral([{ accountId, amount: Number(result.collateral) }]);
      for (const listener of this.stepListeners) listener(result.event, { uncoveredBadDebt: result.uncoveredBadDebt });
      return true;
    } catch (error) {
      if (error instanceof StaleStepError) {
        // The engine planned on a position the database no longer has: give it the database's.
        this.log.warn({ accountId, reason: error.message }, "liquidation step skipped: position changed");
        const rows = await this.prisma.position.findMany({ where: { accountId } });
        await this.client.applyPositions(rows.map((p) => ({
          accountId: p.accountId, marketId: p.marketId, qty: p.qty.toNumber(), entryPrice: p.entryPrice.toNumber(),
          isolatedMargin: p.isolatedMargin?.toNumber() ?? null,
        })));
        return false;
      }
      throw error;
    }
  }

  async stop(): Promise<void> {
    if (this.executorTimer) clearTimeout(this.executorTimer);
    this.executorTimer = null;
    await this.executing;
    await this.client.close();
  }
}
