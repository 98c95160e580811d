import "server-only";
import type { MarketParams } from "@/lib/risk";
import type { PrismaClient } from "../db/prisma-client";
import type { LiveEngine } from "../live-engine";
import type { Logger } from "../logger";
import { marketParamsOf } from "../market-params-of";
import type { LiveMarkets } from "./live-markets";
import { MarketsListener, type MarketsChanged } from "./markets-listener";

export interface MarketReloadDeps {
  prisma: PrismaClient;
  log: Logger;
  engine: LiveEngine;
  markets: LiveMarkets;
  /** The ingest's lot sizes by market (the runtime's map, updated in place). */
  lotSizes: Map<string, number>;
  /** Runs the reload in turn with the account writes (the executor included). */
  serialize: <T>(task: () => Promise<T>) => Promise<T>;
  /** The markets whose marks the browser should be told about now (a new market: no price yet). */
  published: (marketIds: string[]) => void;
}

/**
 * Markets changed in PostgreSQL (an import, docs/MARKETS-IMPORT.md) applied to the running engine
 * without a restart. The rows named are read in one query (one snapshot: an import commits all its
 * markets at once, so a read sees all of them or none), and those whose parameters differ from
 * the engine's go to it in one batch, which the worker checks whole before applying any
 * (`LiveBook.upsertMarkets`): never a half-read or half-applied set. Then the top-up preview's
 * book, the live marks' market list and the ingest's lot sizes follow. A failure is logged and the
 * engine keeps the markets it had.
 */
export class MarketReload {
  private readonly pending: Promise<unknown>[] = [];

  constructor(private readonly deps: MarketReloadDeps) {}

  /** Reloads `changed`; resolves with the ids applied (empty when nothing differed). */
  reload(changed: MarketsChanged): Promise<string[]> {
    const run = this.deps.serialize(() => this.apply(changed)).catch((error: unknown) => {
      this.deps.log.error({ err: error, markets: changed }, "market reload failed: the engine keeps the markets it had");
      return [] as string[];
    });
    this.pending.push(run);
    void run.finally(() => this.pending.splice(this.pending.indexOf(run), 1));
    return run;
  }

  private listener: MarketsListener | null = null;

  /** Follows the imports committed to the database at `databaseUrl` (its `liqdesk_markets` channel). */
  listen(databaseUrl: string): Promise<void> {
    this.listener = new MarketsListener(databaseUrl, this.deps.log, (changed) => void this.reload(changed));
    return this.listener.start();
  }

  /** Stops listening and waits for reloads under way. */
  async stop(): Promise<void> {
    await this.listener?.stop();
    await Promise.all([...this.pending]);
  }

  private async apply(changed: MarketsChanged): Promise<string[]> {
    const { prisma, engine, markets, lotSizes, log } = this.deps;
    const rows = await prisma.market.findMany({ where: changed === "all" ? {} : { id: { in: [...changed] } }, orderBy: { id: "asc" } });
    const differing = rows.filter((r) => !sameParams(engine.marketBook.get(r.id)?.params, marketParamsOf(r)));
    if (differing.length === 0) return [];
    await engine.upsertMarkets(differing.map(marketParamsOf));
    const created: string[] = [];
    for (const r of differing) {
      if (!markets.has(r.id)) created.push(r.id);
      markets.upsert({ id: r.id, baseAsset: r.baseAsset, tickSize: r.tickSize.toNumber(), lotSize: r.lotSize.toNumber() });
      lotSizes.set(r.id, r.lotSize.toNumber());
    }
    if (created.length) this.deps.published(created);
    const ids = differing.map((r) => r.id);
    log.info({ markets: ids, created }, "markets reloaded into the engine");
    return ids;
  }
}

function sameParams(a: MarketParams | undefined, b: MarketParams): boolean {
  return a !== undefined && JSON.stringify(a) === JSON.stringify(b);
}
