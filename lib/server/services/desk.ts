import "server-only";
import { InputError, parseInput } from "@/lib/contracts/api-error";
import { deskStressRequestSchema, type DeskRiskParams, type DeskSnapshot, type DeskStressResponse, type InsuranceFundView, type LiquidationEventView } from "@/lib/contracts/desk";
import type { BookLiquidationMap, Page, QueueEntry } from "@/lib/contracts/book-views";
import type { EngineClient } from "@/lib/engine";
import type { BookSummary } from "@/lib/contracts/book-views";
import type { RiskIssue } from "@/lib/risk";
import { formatPath } from "@/lib/risk/risk-issue";
import type { PrismaClient } from "../db/prisma-client";
import { NotFoundError } from "../errors";
import { insuranceFundBalance } from "../execution/insurance-fund";
import type { DeskStream } from "../feeds/desk-stream";
import { recentLiquidationEvents } from "../liquidation-events";

/** The desk's reads of the live book: figures from the engine (its analytics thread for §8 and §9), history from PostgreSQL. */
export class DeskService {
  constructor(
    private readonly engine: EngineClient,
    private readonly prisma: PrismaClient,
    private readonly stream: DeskStream,
    private readonly hasMarket: (marketId: string) => boolean,
    readonly riskParams: () => DeskRiskParams,
  ) {}

  /** Everything the desk page shows at once (the socket stream continues from its `seq`). */
  snapshot(): DeskSnapshot {
    return this.stream.snapshot();
  }

  /** The book's summary (the metrics' gauges). */
  summary(): Promise<BookSummary> {
    return this.engine.summary();
  }

  /** Pending plans in queue order, with next step, cool-down and pause. */
  queue(offset = 0, limit = 100): Promise<Page<QueueEntry>> {
    return this.engine.queue(Date.now(), offset, Math.min(Math.max(1, limit), 1000));
  }

  /** Executed steps, newest first (one account's with `accountId`). */
  events(accountId: string | undefined, limit = 100): Promise<LiquidationEventView[]> {
    return recentLiquidationEvents(this.prisma, { accountId, limit: Math.min(Math.max(1, limit), 1000) });
  }

  /**
   * Spec §9 for one market at its live mark; for a market that never had a price, no map but
   * `{ marketId, markPrice: null, reason: "no price yet" }` (a state, not an error). 404 for an
   * unknown market.
   */
  async liquidationMap(marketId: string): Promise<BookLiquidationMap> {
    if (!this.hasMarket(marketId)) throw new NotFoundError(`market "${marketId}"`);
    const map = await this.engine.liquidationMap(marketId);
    if (!map) throw new NotFoundError(`market "${marketId}"`);
    return map;
  }

  /** Spec §8 against the live book (the engine's analytics thread) with the insurance fund's current balance. */
  async stress(body: unknown): Promise<DeskStressResponse> {
    const req = parseInput(deskStressRequestSchema, body);
    const unknown = (field: "shocks" | "depthPer1Pct") =>
      Object.keys(req[field] ?? {}).filter((id) => !this.hasMarket(id)).map((id) => ({ path: `${field}.${id}`, message: `unknown market "${id}"` }));
    const issues = [...unknown("shocks"), ...unknown("depthPer1Pct")];
    if (issues.length) throw new InputError(issues);
    try {
      const fund = await insuranceFundBalance(this.prisma);
      const asOf = Date.now();
      return { result: await this.engine.stress(req.shocks, Number(fund), req.maxRounds, req.depthPer1Pct), insuranceFund: fund, asOf };
    } catch (error) {
      // The engine refuses a shock on a market never priced (`shocks.<market>`: no price yet): judged
      // on the snapshot the run uses, so no price can arrive between the check and the run.
      throw riskIssuesAsInput(error);
    }
  }

  /** The fund's balance, runway and history (balance after each entry, oldest first). */
  async insuranceFund(): Promise<{ fund: InsuranceFundView; history: { ts: number; balance: string }[] }> {
    const rows = await this.prisma.insuranceFundEntry.findMany({ orderBy: { id: "desc" }, take: 1000 });
    return {
      fund: this.stream.fundView(),
      history: rows.reverse().map((r) => ({ ts: r.createdAt.getTime(), balance: r.balanceAfter.toString() })),
    };
  }
}

/** The engine's `RiskInputError` (by name: it comes from the runtime's module graph) as a 400 naming the fields; anything else as it is. */
function riskIssuesAsInput(error: unknown): unknown {
  if (!(error instanceof Error) || error.name !== "RiskInputError") return error;
  const issues = (error as Error & { issues?: readonly RiskIssue[] }).issues;
  return Array.isArray(issues) ? new InputError(issues.map((i) => ({ path: formatPath(i.path), message: i.message }))) : error;
}
