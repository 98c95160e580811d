/**
 * Every read the pages and the API make of live state goes through here, so that access rules
 * apply in one place. Figures come from the engine; history from PostgreSQL.
 */
import "server-only";
import type { MarketsResponse } from "@/lib/contracts/markets";
import { InputError, parseInput } from "@/lib/contracts/api-error";
import { formatPath } from "@/lib/risk/risk-issue";
import {
  accountsQuerySchema, deskStressRequestSchema, type AccountDetail, type AccountRow, type BookLiquidationMap, type DeskSnapshot, type DeskStressResponse,
  type InsuranceFundView, type LiquidationEventView, type Page, type QueueEntry,
} from "@/lib/contracts/desk";
import type { RiskIssue } from "@/lib/risk";
import { NotFoundError, NotReadyError } from "./errors";
import { findRuntime } from "./runtime-registry";
import { recentLiquidationEvents } from "./liquidation-events";

function runtime() {
  const rt = findRuntime();
  if (!rt) throw new NotReadyError();
  return rt;
}

export function getMarketsSnapshot(): MarketsResponse {
  return runtime().marketsSnapshot();
}

export function getDisplaySettings(): { staleAfterMs: number } {
  return { staleAfterMs: runtime().env.LIQDESK_STALE_AFTER_MS };
}

export async function getDeskSnapshot(): Promise<DeskSnapshot> {
  return runtime().deskSnapshot();
}

/** Accounts filtered, sorted by margin ratio and paged (`q`: account id prefix), all in the engine. */
export function listAccounts(query: Record<string, string | string[] | undefined>): Promise<Page<AccountRow>> {
  const q = parseInput(accountsQuerySchema, query);
  return runtime().engine.client.atRisk({
    status: q.status, market: q.market, minRatio: q.minRatio, sort: q.sort, idPrefix: q.q || undefined, offset: q.offset, limit: q.limit,
  });
}

/** One account: the engine's live view, its margin history, ledger and executed steps. */
export async function getAccountDetail(accountId: string): Promise<AccountDetail> {
  const rt = runtime();
  const now = Date.now();
  const view = await rt.engine.client.accountView(accountId, now);
  if (!view) throw new NotFoundError(`account "${accountId}"`);
  const [history, ledger, events] = await Promise.all([
    rt.prisma.marginSnapshot.findMany({ where: { accountId }, orderBy: { ts: "desc" }, take: 720 }),
    rt.prisma.collateralLedgerEntry.findMany({ where: { accountId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: 100 }),
    recentLiquidationEvents(rt.prisma, { accountId, limit: 100 }),
  ]);
  return {
    view,
    riskParams: rt.riskParams(),
    history: history.reverse().map((h) => ({
      ts: h.ts.getTime(), marginRatio: h.marginRatio, equity: h.equity.toNumber(), maintenanceMargin: h.maintenanceMargin.toNumber(), status: h.status,
    })),
    ledger: ledger.map((l) => ({
      id: l.id.toString(), kind: l.kind, amount: l.amount.toString(), balanceAfter: l.balanceAfter.toString(), note: l.note, createdAt: l.createdAt.getTime(),
    })),
    events,
    serverTime: now,
  };
}

export function getQueue(offset = 0, limit = 100): Promise<Page<QueueEntry>> {
  return runtime().engine.client.queue(Date.now(), offset, Math.min(Math.max(1, limit), 1000));
}

export function getLiquidationEvents(accountId: string | undefined, limit = 100): Promise<LiquidationEventView[]> {
  return recentLiquidationEvents(runtime().prisma, { accountId, limit: Math.min(Math.max(1, limit), 1000) });
}

/**
 * Spec §9 for one market at its live mark; for a market that never had a price, no map but
 * `{ marketId, markPrice: null, reason: "no price yet" }` (a state, not an error). 404 for an
 * unknown market.
 */
export async function getLiquidationMap(marketId: string): Promise<BookLiquidationMap> {
  const rt = runtime();
  if (!rt.markets.has(marketId)) throw new NotFoundError(`market "${marketId}"`);
  const map = await rt.liquidationMap(marketId);
  if (!map) throw new NotFoundError(`market "${marketId}"`);
  return map;
}

/** Spec §8 against the live book with the fund's current balance. */
export async function runStress(body: unknown): Promise<DeskStressResponse> {
  const rt = runtime();
  const req = parseInput(deskStressRequestSchema, body);
  const unknown = (field: "shocks" | "depthPer1Pct") =>
    Object.keys(req[field] ?? {}).filter((id) => !rt.markets.has(id)).map((id) => ({ path: `${field}.${id}`, message: `unknown market "${id}"` }));
  const issues = [...unknown("shocks"), ...unknown("depthPer1Pct")];
  if (issues.length) throw new InputError(issues);
  try {
    return await rt.stress(req.shocks, req.maxRounds, req.depthPer1Pct);
  } catch (error) {
    // The engine refuses a shock on a market never priced (`shocks.<market>`: no price yet): judged
    // on the snapshot the run uses, so no price can arrive between the check and the run.
    throw riskIssuesAsInput(error);
  }
}

/** The engine's `RiskInputError` (by name: it comes from the runtime's module graph) as a 400 naming the fields; anything else as it is. */
function riskIssuesAsInput(error: unknown): unknown {
  if (!(error instanceof Error) || error.name !== "RiskInputError") return error;
  const issues = (error as Error & { issues?: readonly RiskIssue[] }).issues;
  return Array.isArray(issues) ? new InputError(issues.map((i) => ({ path: formatPath(i.path), message: i.message }))) : error;
}

/** The fund's balance, runway and history (balance after each entry, oldest first). */
export async function getInsuranceFund(): Promise<{ fund: InsuranceFundView; history: { ts: number; balance: string }[] }> {
  const rt = runtime();
  const rows = await rt.prisma.insuranceFundEntry.findMany({ orderBy: { id: "desc" }, take: 1000 });
  return {
    fund: rt.desk.fundView(),
    history: rows.reverse().map((r) => ({ ts: r.createdAt.getTime(), balance: r.balanceAfter.toString() })),
  };
}
