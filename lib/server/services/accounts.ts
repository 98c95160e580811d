import "server-only";
import { parseInput } from "@/lib/contracts/api-error";
import { accountsQuerySchema, type AccountDetail, type AccountListRow, type DeskRiskParams } from "@/lib/contracts/desk";
import type { AccountSearchResult } from "@/lib/contracts/account-search";
import type { AccountView, Page } from "@/lib/contracts/book-views";
import type { TopUpPreview, TopUpResult } from "@/lib/contracts/topup";
import type { EngineClient } from "@/lib/engine";
import type { UserPrincipal } from "../auth/policy";
import { NotFoundError } from "../errors";
import { recentLiquidationEvents } from "../liquidation-events";
import { ownersOf } from "../search/account-owners";
import { searchAccounts } from "../search/account-search";
import { previewTopUp, submitTopUp, type TopUpDeps } from "../topup/top-ups";

/** Margin accounts: figures from the engine, history from PostgreSQL, top-ups through the account-write queue. */
export class AccountsService {
  constructor(
    private readonly engine: EngineClient,
    private readonly topUps: TopUpDeps,
    private readonly riskParams: () => DeskRiskParams,
  ) {}

  /** The engine's live view of one account; null for an account it does not know. */
  view(accountId: string, now = Date.now()): Promise<AccountView | null> {
    return this.engine.accountView(accountId, now);
  }

  /**
   * Accounts filtered, sorted by one numeric column over the whole book and paged (`q`: account id
   * prefix), all in the engine; then the owners of the page's rows (one query).
   */
  async list(query: Record<string, string | string[] | undefined>): Promise<Page<AccountListRow>> {
    const q = parseInput(accountsQuerySchema, query);
    const page = await this.engine.atRisk({
      status: q.status, market: q.market, minRatio: q.minRatio, sort: q.sort, idPrefix: q.q || undefined, offset: q.offset, limit: q.limit,
    });
    const owners = await ownersOf(this.topUps.prisma, page.items.map((r) => r.accountId));
    return { ...page, items: page.items.map((r) => ({ ...r, owners: owners.get(r.accountId) ?? [] })) };
  }

  /** Any account by a part of its id or of an owner's e-mail, whatever the table's filters (lib/server/search/account-search.ts). */
  search(query: Record<string, string | string[] | undefined>): Promise<AccountSearchResult> {
    return searchAccounts(this.engine, this.topUps.prisma, query);
  }

  /** One account: the engine's live view, its margin history, ledger and executed steps, and the risk parameters it is judged by. */
  async detail(accountId: string): Promise<AccountDetail> {
    const now = Date.now();
    const view = await this.engine.accountView(accountId, now);
    if (!view) throw new NotFoundError(`account "${accountId}"`);
    const prisma = this.topUps.prisma;
    const [history, ledger, events] = await Promise.all([
      prisma.marginSnapshot.findMany({ where: { accountId }, orderBy: { ts: "desc" }, take: 720 }),
      prisma.collateralLedgerEntry.findMany({ where: { accountId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: 100 }),
      recentLiquidationEvents(prisma, { accountId, limit: 100 }),
    ]);
    return {
      view,
      riskParams: this.riskParams(),
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

  /** Before → after a top-up at current marks, and the presets (lib/server/topup/top-ups.ts). Writes nothing. */
  previewTopUp(accountId: string, body: unknown): Promise<TopUpPreview> {
    return previewTopUp(this.topUps, accountId, body);
  }

  /** A top-up written (balance, ledger, audit) and the engine told before the answer (lib/server/topup/top-ups.ts). */
  submitTopUp(user: UserPrincipal, accountId: string, body: unknown): Promise<TopUpResult> {
    return submitTopUp(this.topUps, user, accountId, body);
  }
}
