import "server-only";
import type { Env } from "./env";
import type { Logger } from "./logger";
import type { PrismaClient } from "./db/prisma-client";
import type { MarketsResponse } from "@/lib/contracts/markets";
import type { MarketParams } from "@/lib/risk";
import type { PriceUpdate } from "@/lib/engine";
import { LiveMarkets, type MarketInfo } from "./live-markets";
import { parsePriceBatch, persistPriceTicks, type IngestPricesResult } from "./ingest/ingest-prices";
import { ingestCollateral, ingestFunding, ingestPositions, type IngestDeps } from "./ingest/ingest-service";
import { createIngestRecorder, type IngestRecorder } from "./ingest/ingest-recorder";
import { LiveEngine } from "./live-engine";
import { MarginSnapshotter } from "./margin-snapshotter";
import { SerialQueue } from "./serial-queue";
import type { SocketHub } from "./socket-hub";
import { DeskFeed } from "./desk-feed";
import type { DeskSnapshot, DeskStressResponse } from "@/lib/contracts/desk";
import type { LiquidationMap } from "@/lib/risk";
import { liquidationMapLive, stressLive } from "./desk-analytics";
import { insuranceFundBalance } from "./execution/insurance-fund";

/** How often marks are re-derived without a tick, so that a silent source turns stale on time. */
const STALENESS_CHECK_MS = 1000;
const HISTORY_RESTORE_MINUTES = 5;

type MarketRow = Awaited<ReturnType<PrismaClient["market"]["findMany"]>>[number];

/** A market row as the risk model's parameters (spec §2). */
function marketParamsOf(m: MarketRow): MarketParams {
  return {
    id: m.id,
    lotSize: m.lotSize.toNumber(),
    tickSize: m.tickSize.toNumber(),
    liquidationFeeRate: m.liquidationFeeRate.toNumber(),
    tiers: m.tiers as unknown as MarketParams["tiers"],
    liquidity: { halfSpreadBps: m.halfSpreadBps.toNumber(), depthPer1Pct: m.depthPer1Pct.toNumber() },
  };
}

/**
 * The live side of one Liqdesk process: the database, the live marks, the engine worker and the
 * socket hub. Data flows one way: ingest → PostgreSQL (committed) → engine → hub. Route handlers
 * reach the runtime through the runtime registry; they never compute risk themselves.
 */
export class Runtime {
  readonly startedAt = Date.now();
  private hub: SocketHub | null = null;
  private stalenessTimer: NodeJS.Timeout | null = null;
  /** Account-changing writes, one at a time: the engine hears them in commit order. */
  private readonly accountWrites = new SerialQueue();
  private readonly deps: IngestDeps;
  readonly desk: DeskFeed;

  private constructor(
    readonly env: Env,
    readonly log: Logger,
    readonly prisma: PrismaClient,
    readonly markets: LiveMarkets,
    readonly engine: LiveEngine,
    private readonly lotSizes: Map<string, number>,
    private readonly recorder: IngestRecorder | null,
    private readonly snapshotter: MarginSnapshotter,
  ) {
    this.deps = { prisma, markets: (id) => (lotSizes.has(id) ? { lotSize: lotSizes.get(id)! } : undefined), recorder };
    this.desk = new DeskFeed(engine, prisma, log);
  }

  /** Loads markets, prices, a few minutes of marks and every account from PostgreSQL. */
  static async create(env: Env, log: Logger, prisma: PrismaClient): Promise<Runtime> {
    const rows = await prisma.market.findMany({ orderBy: { id: "asc" } });
    const infos: MarketInfo[] = rows.map((m) => ({
      id: m.id, baseAsset: m.baseAsset, tickSize: m.tickSize.toNumber(), lotSize: m.lotSize.toNumber(),
    }));
    const markets = new LiveMarkets(infos, env.LIQDESK_STALE_AFTER_MS);
    const history = await prisma.$queryRaw<{ market_id: string; bucket: Date; mark: number }[]>`
      SELECT market_id, bucket, percentile_cont(0.5) WITHIN GROUP (ORDER BY close::float8) AS mark
        FROM price_ticks_1s
       WHERE bucket > now() - make_interval(mins => ${HISTORY_RESTORE_MINUTES})
       GROUP BY market_id, bucket ORDER BY market_id, bucket`;
    const byMarket = new Map<string, { ts: number; mark: number }[]>();
    for (const h of history) {
      const list = byMarket.get(h.market_id) ?? [];
      list.push({ ts: h.bucket.getTime(), mark: Number(h.mark) });
      byMarket.set(h.market_id, list);
    }
    for (const p of await prisma.latestPrice.findMany()) {
      if (markets.has(p.marketId)) {
        markets.restore(p.marketId, p.source, p.price.toNumber(), p.ts.getTime(), byMarket.get(p.marketId) ?? []);
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
    const runtime = new Runtime(env, log, prisma, markets, engine, new Map(infos.map((m) => [m.id, m.lotSize])), recorder, snapshotter);
    snapshotter.start(env.LIQDESK_SNAPSHOT_MS);
    runtime.stalenessTimer = setInterval(() => runtime.refreshMarks(runtime.markets.marketIds()), STALENESS_CHECK_MS);
    if (env.LIQDESK_EXECUTION === "on") runtime.startExecutor();
    return runtime;
  }

  async attachHub(hub: SocketHub): Promise<void> {
    this.hub = hub;
    await this.desk.start((delta) => hub.publishDesk(delta));
  }

  deskSnapshot(): Promise<DeskSnapshot> {
    return this.desk.snapshot();
  }

  /** Spec §8 against the live book, with the insurance fund's current balance. */
  async stress(shocks: Record<string, number>, maxRounds?: number): Promise<DeskStressResponse> {
    const [snapshot, fund] = await Promise.all([this.engine.client.snapshot(), insuranceFundBalance(this.prisma)]);
    return { result: stressLive(snapshot, shocks, Number(fund), maxRounds), insuranceFund: fund, asOf: Date.now() };
  }

  /** Spec §9 for a market at its live mark; null before its first price. */
  async liquidationMap(marketId: string): Promise<LiquidationMap | null> {
    return liquidationMapLive(await this.engine.client.snapshot(), marketId);
  }

  marketsSnapshot(): MarketsResponse {
    const now = Date.now();
    return { seq: this.hub?.currentSeq() ?? 0, serverTime: now, markets: this.markets.views(now) };
  }

  /** The price ingest path, shared by the HTTP API and the simulator. */
  async ingestPrices(body: unknown): Promise<IngestPricesResult> {
    const batch = parsePriceBatch(body, (id) => this.markets.has(id));
    const result = await persistPriceTicks(this.prisma, batch.source, batch.ticks);
    this.recorder?.record("prices", batch);
    for (const t of batch.ticks) this.markets.applyPrice(t.marketId, batch.source, t.price, t.ts);
    this.refreshMarks(result.marketIds);
    return result;
  }

  /** Positions: persisted (committed), then the engine gets each position's new state. */
  ingestPositions(body: unknown) {
    return this.accountWrites.run(async () => {
      const result = await ingestPositions(this.deps, body);
      if (result.applied.length) {
        await this.engine.client.applyPositions(result.applied.map((p) => ({
          accountId: p.accountId, marketId: p.marketId, qty: Number(p.qty), entryPrice: Number(p.entryPrice),
        })));
      }
      return result;
    });
  }

  /** Collateral: persisted (committed), then the engine gets each moved account's balance. */
  ingestCollateral(body: unknown) {
    return this.accountWrites.run(async () => {
      const result = await ingestCollateral(this.deps, body);
      if (result.balances.length) {
        await this.engine.client.applyCollateral(result.balances.map((b) => ({ accountId: b.accountId, amount: Number(b.collateral) })));
      }
      return result;
    });
  }

  /** Funding (spec §7): ledger entries persisted, then the engine gets each holder's balance. */
  ingestFunding(body: unknown) {
    return this.accountWrites.run(async () => {
      const result = await ingestFunding(this.deps, body);
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

  private refreshMarks(marketIds: string[]): void {
    const now = Date.now();
    const engineMarks: PriceUpdate[] = [];
    for (const id of marketIds) {
      const update = this.markets.refresh(id, now);
      if (!update) continue;
      this.hub?.publishMark(update);
      if (update.mark !== null) engineMarks.push({ marketId: id, price: update.mark, stale: update.stale });
    }
    if (engineMarks.length) {
      this.engine.client.applyPrices(engineMarks).catch((error: unknown) => this.log.error({ err: error }, "engine rejected marks"));
    }
  }

  /** null when the database answers within the timeout, else what is wrong. */
  async checkDatabase(timeoutMs = 2000): Promise<string | null> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<string>((resolve) => { timer = setTimeout(() => resolve("timeout"), timeoutMs); });
    try {
      return await Promise.race([this.prisma.$queryRaw`SELECT 1`.then(() => null), timeout]);
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Stops timers and the engine; every queued account write finishes first. */
  async stop(): Promise<void> {
    if (this.stalenessTimer) clearInterval(this.stalenessTimer);
    this.stalenessTimer = null;
    await this.desk.stop();
    await this.snapshotter.stop();
    await this.accountWrites.idle();
    await this.engine.stop();
    await this.recorder?.close();
  }
}
