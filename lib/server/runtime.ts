import "server-only";
import type { Env } from "./env";
import type { Logger } from "./logger";
import type { PrismaClient } from "./db/prisma-client";
import type { MarketsResponse } from "@/lib/contracts/markets";
import type { PriceUpdate } from "@/lib/engine";
import { LiveMarkets, type MarketInfo } from "./markets/live-markets";
import { parsePriceBatch, persistPriceTicks, type IngestPricesResult } from "./ingest/ingest-prices";
import { ingestCollateral, ingestFunding, parsePositionBatch, persistPositionBatch, type IngestDeps } from "./ingest/ingest-service";
import { createIngestRecorder, type IngestRecorder } from "./ingest/ingest-recorder";
import { LiveEngine } from "./live-engine";
import { MarginSnapshotter } from "./margin-snapshotter";
import { SerialQueue } from "./serial-queue";
import type { LiveFeeds } from "./feeds/open-feeds";
import type { SendBacklog } from "./feeds/send-backlog";
import { DeskStream } from "./feeds/desk-stream";
import { MarketsStream } from "./feeds/markets-stream";
import type { BookLiquidationMap, DeskRiskParams, DeskSnapshot, DeskStressResponse } from "@/lib/contracts/desk";
import { insuranceFundBalance } from "./execution/insurance-fund";
import { marketParamsOf } from "./market-params-of";
import { serverMetrics, type IngestKind, type RoomKind } from "./metrics";
import { checkDatabase } from "./check-database";
import { WhatIfs } from "./what-ifs";
import { loadMarketMarks, repairFutureDatedPrices, saveMarketMarks } from "./persistence/market-marks";

/** How often marks are re-derived without a tick, so that a silent source turns stale on time. */
const STALENESS_CHECK_MS = 1000;
const HISTORY_RESTORE_MINUTES = 5;

/** Counts a committed ingest of `items` items and the time from its receipt to its commit. */
function committed(kind: IngestKind, items: number, receivedAt: number): void {
  const metrics = serverMetrics();
  metrics.ingestItems.inc({ kind }, items);
  metrics.ingestCommitSeconds.observe({ kind }, (Date.now() - receivedAt) / 1000);
}

/**
 * The live side of one Liqdesk process: the database, the live marks, the engine worker and the
 * streams its socket feeds publish. Data flows one way: ingest → PostgreSQL (committed) → engine → feeds. Route handlers
 * reach the runtime through the runtime registry; they never compute risk themselves.
 */
export class Runtime {
  readonly startedAt = Date.now();
  private feeds: LiveFeeds | null = null;
  /** The write of computed marks in flight (one at a time). */
  private savingMarks: Promise<void> | null = null;
  private stalenessTimer: NodeJS.Timeout | null = null;
  /** Account-changing writes, one at a time: the engine hears them in commit order. */
  private readonly accountWrites = new SerialQueue();
  private readonly deps: IngestDeps;
  readonly desk: DeskStream;
  private readonly marketsStream: MarketsStream;
  /** What-ifs and stress runs: off the main thread, within per-user and server-wide limits. */
  readonly whatIfs: WhatIfs;

  private constructor(
    readonly env: Env,
    readonly log: Logger,
    readonly prisma: PrismaClient,
    readonly markets: LiveMarkets,
    readonly engine: LiveEngine,
    private readonly lotSizes: Map<string, number>,
    private readonly recorder: IngestRecorder | null,
    readonly snapshotter: MarginSnapshotter,
    seqBase: number,
  ) {
    this.deps = { prisma, markets: (id) => (lotSizes.has(id) ? { lotSize: lotSizes.get(id)! } : undefined), recorder };
    this.desk = new DeskStream(engine, prisma, log, this.riskParams(), seqBase);
    this.marketsStream = new MarketsStream(markets, seqBase);
    this.whatIfs = new WhatIfs(env, prisma);
  }

  /**
   * Loads markets, prices, a few minutes of marks and every account from PostgreSQL.
   * `seqBase`: the markets and desk streams' deltas are numbered after it (an instance taking over the engine
   * passes a number above its predecessor's: docs/SCALING.md).
   */
  static async create(env: Env, log: Logger, prisma: PrismaClient, options: { seqBase?: number } = {}): Promise<Runtime> {
    const rows = await prisma.market.findMany({ orderBy: { id: "asc" } });
    const infos: MarketInfo[] = rows.map((m) => ({
      id: m.id, baseAsset: m.baseAsset, tickSize: m.tickSize.toNumber(), lotSize: m.lotSize.toNumber(),
    }));
    const markets = new LiveMarkets(infos, env.LIQDESK_STALE_AFTER_MS);
    const startedAt = Date.now();
    const repaired = await repairFutureDatedPrices(prisma, startedAt, env.LIQDESK_MAX_CLOCK_SKEW_MS);
    if (repaired.prices + repaired.marks > 0) {
      log.warn({ ...repaired, maxClockSkewMs: env.LIQDESK_MAX_CLOCK_SKEW_MS },
        "state dated ahead of the clock repaired: source prices dropped, persisted marks dated now");
    }
    const history = await prisma.$queryRaw<{ market_id: string; bucket: Date; mark: number }[]>`
      SELECT market_id, bucket, percentile_cont(0.5) WITHIN GROUP (ORDER BY close::float8) AS mark
        FROM price_ticks_1s
       WHERE bucket > now() - make_interval(mins => ${HISTORY_RESTORE_MINUTES}) AND bucket <= ${new Date(startedAt)}
       GROUP BY market_id, bucket ORDER BY market_id, bucket`;
    const byMarket = new Map<string, { ts: number; mark: number }[]>();
    for (const h of history) {
      const list = byMarket.get(h.market_id) ?? [];
      list.push({ ts: h.bucket.getTime(), mark: Number(h.mark) });
      byMarket.set(h.market_id, list);
    }
    const persisted = new Map((await loadMarketMarks(prisma)).map((m) => [m.marketId, m]));
    for (const info of infos) markets.restoreMark(info.id, persisted.get(info.id) ?? null, byMarket.get(info.id) ?? []);
    for (const p of await prisma.latestPrice.findMany()) {
      if (markets.has(p.marketId)) {
        // Received when it was written (server clock); never later than now.
        markets.restore(p.marketId, p.source, p.price.toNumber(), p.ts.getTime(), Math.min(p.updatedAt.getTime(), startedAt));
      }
    }
    const now = Date.now();
    const marks = markets.marketIds().flatMap((id) => {
      const u = markets.refresh(id, now);
      return u && u.mark !== null ? [{ marketId: id, price: u.mark, stale: u.stale }] : [];
    });
    const engine = await LiveEngine.start({ prisma, log, markets: rows.map(marketParamsOf) }, marks);
    const recorder = env.LIQDESK_RECORD_FILE
      ? createIngestRecorder(env.LIQDESK_RECORD_FILE, (error) => log.error({ err: error }, "ingest recording failed"))
      : null;
    const snapshotter = new MarginSnapshotter(engine, prisma, log);
    const runtime = new Runtime(env, log, prisma, markets, engine, new Map(infos.map((m) => [m.id, m.lotSize])), recorder, snapshotter, options.seqBase ?? 0);
    snapshotter.start(env.LIQDESK_SNAPSHOT_MS);
    runtime.stalenessTimer = setInterval(() => {
      runtime.refreshMarks(runtime.markets.marketIds());
      void runtime.saveMarks();
    }, STALENESS_CHECK_MS);
    if (env.LIQDESK_EXECUTION === "on") runtime.startExecutor();
    return runtime;
  }

  /** The streams publish to this instance's feeds from now on. */
  async attachFeeds(feeds: LiveFeeds): Promise<void> {
    this.feeds = feeds;
    this.marketsStream.start((delta) => feeds.markets.publish(delta));
    await this.desk.start((delta) => feeds.desk.publish(delta));
  }

  deskSnapshot(): DeskSnapshot {
    return this.desk.snapshot();
  }

  /** The risk parameters of spec §6 the engine runs with, and §7's staleness limit. */
  riskParams(): DeskRiskParams {
    return { ...this.engine.params, staleAfterMs: this.env.LIQDESK_STALE_AFTER_MS };
  }

  /** Spec §8 against the live book (the engine's analytics thread), with the insurance fund's current balance. */
  async stress(shocks: Record<string, number>, maxRounds?: number, depthPer1Pct?: Record<string, number>): Promise<DeskStressResponse> {
    const fund = await insuranceFundBalance(this.prisma);
    const asOf = Date.now();
    return { result: await this.engine.client.stress(shocks, Number(fund), maxRounds, depthPer1Pct), insuranceFund: fund, asOf };
  }

  /** Spec §9 for a market at its live mark (the engine's analytics thread); no map before its first price; null for an unknown market. */
  liquidationMap(marketId: string): Promise<BookLiquidationMap | null> {
    return this.engine.client.liquidationMap(marketId);
  }

  /** Connected socket clients by room kind (all 0 before the feeds are attached). */
  socketClients(): Record<RoomKind, number> {
    return this.feeds?.transport.clientsByRoomKind() ?? { desk: 0, markets: 0, account: 0 };
  }

  /** Bytes held in this process for socket clients, not yet written to their connections (0 before the feeds are attached). */
  socketSendBacklog(): SendBacklog {
    return this.feeds?.transport.sendBacklog() ?? { bytes: 0, largest: 0 };
  }

  marketsSnapshot(): MarketsResponse {
    return this.marketsStream.snapshot();
  }

  /** The price ingest path, shared by the HTTP API and the simulator. */
  async ingestPrices(body: unknown): Promise<IngestPricesResult> {
    const receivedAt = Date.now();
    const batch = parsePriceBatch(body, (id) => this.markets.has(id), { now: receivedAt, maxClockSkewMs: this.env.LIQDESK_MAX_CLOCK_SKEW_MS });
    const result = await persistPriceTicks(this.prisma, batch.source, batch.ticks, receivedAt);
    committed("prices", batch.ticks.length, receivedAt);
    this.recorder?.record("prices", batch);
    for (const t of batch.ticks) this.markets.applyPrice(t.marketId, batch.source, t.price, t.ts, receivedAt);
    this.refreshMarks(result.marketIds, receivedAt);
    return result;
  }

  /**
   * Positions: persisted (committed), then the engine gets each position's new state.
   * Only the commit and the hand-over to the engine hold the account-write queue: a batch's parsing
   * runs before it (overlapping another batch's commit), and the engine's answer is awaited after it
   * (the worker takes its messages in the order they were posted, which is commit order).
   */
  async ingestPositions(body: unknown) {
    const receivedAt = Date.now();
    const batch = parsePositionBatch(body);
    let engineApplied: Promise<unknown> = Promise.resolve();
    const result = await this.accountWrites.run(async () => {
      const persisted = await persistPositionBatch(this.deps, batch);
      committed("positions", persisted.applied.length + persisted.ignored, receivedAt);
      if (persisted.applied.length) {
        engineApplied = this.engine.client.applyPositions(persisted.applied.map((p) => ({
          accountId: p.accountId, marketId: p.marketId, qty: Number(p.qty), entryPrice: Number(p.entryPrice),
        })));
      }
      return persisted;
    });
    await engineApplied;
    return result;
  }

  /** Collateral: persisted (committed), then the engine gets each moved account's balance. */
  ingestCollateral(body: unknown) {
    const receivedAt = Date.now();
    return this.accountWrites.run(async () => {
      const result = await ingestCollateral(this.deps, body);
      committed("collateral", result.applied.length + result.replayed, receivedAt);
      if (result.balances.length) {
        await this.engine.client.applyCollateral(result.balances.map((b) => ({ accountId: b.accountId, amount: Number(b.collateral) })));
      }
      return result;
    });
  }

  /**
   * A collateral write made outside the ingest API (manual top-ups, lib/server/topup): runs in turn
   * with the other account writes, then the engine gets the balances it returns. Counted as one top-up.
   */
  writeCollateral<T>(write: () => Promise<{ result: T; balances: { accountId: string; collateral: string }[] }>): Promise<T> {
    const receivedAt = Date.now();
    return this.accountWrites.run(async () => {
      const { result, balances } = await write();
      committed("topup", 1, receivedAt);
      if (balances.length) {
        await this.engine.client.applyCollateral(balances.map((b) => ({ accountId: b.accountId, amount: Number(b.collateral) })));
      }
      return result;
    });
  }

  /** Funding (spec §7): ledger entries persisted, then the engine gets each holder's balance. */
  ingestFunding(body: unknown) {
    const receivedAt = Date.now();
    return this.accountWrites.run(async () => {
      const result = await ingestFunding(this.deps, body, { now: receivedAt, maxClockSkewMs: this.env.LIQDESK_MAX_CLOCK_SKEW_MS });
      committed("funding", 1, receivedAt);
      if (result.deltas.length) {
        await this.engine.client.applyCollateral(result.deltas.map((d) => ({ accountId: d.accountId, amount: Number(d.balanceAfter) })));
      }
      return result;
    });
  }

  /** The simulated venue: due steps execute through the same serial path as other account writes. */
  private startExecutor(): void {
    this.engine.startExecutor(this.env.LIQDESK_EXECUTOR_INTERVAL_MS, (task) => this.accountWrites.run(task));
  }

  /** `receivedAt`: when the ticks behind these marks arrived (absent for the staleness check). */
  private refreshMarks(marketIds: string[], receivedAt?: number): void {
    const now = Date.now();
    const engineMarks: PriceUpdate[] = [];
    for (const id of marketIds) {
      const update = this.markets.refresh(id, now);
      if (!update) continue;
      this.marketsStream.publish(update, receivedAt);
      if (update.mark !== null) engineMarks.push({ marketId: id, price: update.mark, stale: update.stale });
    }
    if (engineMarks.length) {
      const revalued = serverMetrics().engineRevaluationSeconds.startTimer();
      this.engine.client.applyPrices(engineMarks).then(
        () => void revalued(),
        (error: unknown) => this.log.error({ err: error }, "engine rejected marks"),
      );
    }
  }

  /**
   * Keeps the marks computed since the last call durably (spec §7: a restart starts from them, with
   * their age). Called once a second and at stop; one write at a time, a failed one logged and retried
   * with the next.
   */
  saveMarks(): Promise<void> {
    if (this.savingMarks) return this.savingMarks;
    const marks = this.markets.takeComputedMarks();
    if (marks.length === 0) return Promise.resolve();
    this.savingMarks = saveMarketMarks(this.prisma, marks)
      .catch((error: unknown) => {
        this.markets.returnComputedMarks(marks);
        this.log.error({ err: error }, "saving the last marks failed");
      })
      .finally(() => {
        this.savingMarks = null;
      });
    return this.savingMarks;
  }

  /** null when the database answers within the timeout, else what is wrong. */
  checkDatabase(timeoutMs = 2000): Promise<string | null> {
    return checkDatabase(this.prisma, timeoutMs);
  }

  /** Stops timers and the engine; every queued account write finishes first. */
  async stop(): Promise<void> {
    if (this.stalenessTimer) clearInterval(this.stalenessTimer);
    this.stalenessTimer = null;
    await this.savingMarks;
    await this.saveMarks();
    this.marketsStream.stop();
    await this.desk.stop();
    await this.snapshotter.stop();
    await this.accountWrites.idle();
    await this.whatIfs.stop();
    await this.engine.stop();
    await this.recorder?.close();
  }
}
