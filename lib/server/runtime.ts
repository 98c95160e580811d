import "server-only";
import type { Env } from "./env";
import type { Logger } from "./logger";
import type { PrismaClient } from "./db/prisma-client";
import type { MarketsResponse } from "@/lib/contracts/markets";
import { LiveMarkets, type MarketInfo } from "./live-markets";
import { parsePriceBatch, persistPriceTicks, type IngestPricesResult } from "./ingest/ingest-prices";
import type { SocketHub } from "./socket-hub";
import { ingestCollateral, ingestFunding, ingestPositions } from "./ingest/ingest-service";

/** How often marks are re-derived without a tick, so that a silent source turns stale on time. */
const STALENESS_CHECK_MS = 1000;
const HISTORY_RESTORE_MINUTES = 5;

/**
 * The live side of one Liqdesk process: the database, the live marks and the socket hub.
 * Route handlers reach it through the runtime registry; they never compute anything themselves.
 */
export class Runtime {
  readonly startedAt = Date.now();
  private hub: SocketHub | null = null;
  private stalenessTimer: NodeJS.Timeout | null = null;

  private constructor(
    readonly env: Env,
    readonly log: Logger,
    readonly prisma: PrismaClient,
    readonly markets: LiveMarkets,
  ) {}

  /** Loads markets, their latest prices and a few minutes of marks from PostgreSQL. */
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
    return new Runtime(env, log, prisma, markets);
  }

  attachHub(hub: SocketHub): void {
    this.hub = hub;
    this.stalenessTimer = setInterval(() => this.refreshMarks(this.markets.marketIds()), STALENESS_CHECK_MS);
  }

  marketsSnapshot(): MarketsResponse {
    const now = Date.now();
    return { seq: this.hub?.currentSeq() ?? 0, serverTime: now, markets: this.markets.views(now) };
  }

  /** The price ingest path, shared by the HTTP API and the simulator. */
  async ingestPrices(body: unknown): Promise<IngestPricesResult> {
    const batch = parsePriceBatch(body, (id) => this.markets.has(id));
    const result = await persistPriceTicks(this.prisma, batch.source, batch.ticks);
    for (const t of batch.ticks) this.markets.applyPrice(t.marketId, batch.source, t.price, t.ts);
    this.refreshMarks(result.marketIds);
    return result;
  }

  /** Position ingest: parse, validate, persist (committed), then (TODO lead) tell the engine `applied`. */
  async ingestPositions(body: unknown) {
    return ingestPositions({ prisma: this.prisma }, body);
  }

  /** Collateral ingest: parse, persist (committed), then (TODO lead) tell the engine `balances`. */
  async ingestCollateral(body: unknown) {
    return ingestCollateral({ prisma: this.prisma }, body);
  }

  /** Funding ingest: parse, persist (committed), then (TODO lead) tell the engine each delta's `balanceAfter`. */
  async ingestFunding(body: unknown) {
    return ingestFunding({ prisma: this.prisma }, body);
  }

  private refreshMarks(marketIds: string[]): void {
    const now = Date.now();
    for (const id of marketIds) {
      const update = this.markets.refresh(id, now);
      if (update) this.hub?.publishMark(update);
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

  stop(): void {
    if (this.stalenessTimer) clearInterval(this.stalenessTimer);
    this.stalenessTimer = null;
  }
}
