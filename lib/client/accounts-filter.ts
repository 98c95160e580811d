import { AT_RISK_SORTS, type AtRiskSort, type AtRiskSortColumn } from "@/lib/contracts/book-views";
import { LIVE_STATUSES, type LiveStatus } from "@/lib/risk";

/** What the at-risk table asks `GET /api/v1/accounts` for (everything but the page). */
export interface AccountsFilter {
  /** Empty: every status. */
  status: LiveStatus[];
  /** Empty: every market. */
  market: string;
  /** Margin ratio floor as a fraction (0.8 = 80%); null: none. */
  minRatio: number | null;
  sort: AtRiskSort;
  /** Account id prefix; empty: none. */
  q: string;
}

export const DEFAULT_ACCOUNTS_FILTER: AccountsFilter = { status: [], market: "", minRatio: null, sort: "marginRatio:desc", q: "" };

/** The desk table's filter while its URL says nothing: the accounts at risk (warning and worse), riskiest first. */
export const TABLE_DEFAULT_FILTER: AccountsFilter = { ...DEFAULT_ACCOUNTS_FILTER, status: ["warning", "liquidatable", "backstop", "bankrupt"] };

/** The query string of `GET /api/v1/accounts` for a filter and a row range. */
export function accountsQueryString(filter: AccountsFilter, offset: number, limit: number): string {
  const p = new URLSearchParams();
  for (const s of filter.status) p.append("status", s);
  if (filter.market) p.set("market", filter.market);
  if (filter.minRatio !== null) p.set("minRatio", String(filter.minRatio));
  p.set("sort", filter.sort);
  if (filter.q) p.set("q", filter.q);
  p.set("offset", String(offset));
  p.set("limit", String(limit));
  return p.toString();
}

/** The keys of the desk page's URL that hold the table's filter and sort (any other key is left as it is). */
export const FILTER_URL_KEYS = ["status", "market", "minRatio", "sort", "q"] as const;

/**
 * The table's filter from the desk page's URL (`?status=warning,liquidatable&market=BTC-PERP&minRatio=0.8&sort=equity:asc&q=acc-1`;
 * `status=all`: every status). A key absent, or a value the table cannot take, reads as the table's default for it.
 */
export function filterFromUrl(params: URLSearchParams): AccountsFilter {
  const out: AccountsFilter = { ...TABLE_DEFAULT_FILTER };
  const status = params.get("status");
  if (status === "all") out.status = [];
  else if (status !== null) {
    const list = status.split(",").filter((s): s is LiveStatus => (LIVE_STATUSES as readonly string[]).includes(s));
    if (list.length > 0) out.status = [...new Set(list)];
  }
  const market = params.get("market");
  if (market && market.length <= 64) out.market = market;
  const minRatio = params.get("minRatio");
  if (minRatio !== null && minRatio.trim() !== "" && Number.isFinite(Number(minRatio)) && Number(minRatio) >= 0) out.minRatio = Number(minRatio);
  const sort = params.get("sort");
  if (sort !== null && (AT_RISK_SORTS as readonly string[]).includes(sort)) out.sort = sort as AtRiskSort;
  const q = params.get("q");
  if (q && q.length <= 64) out.q = q;
  return out;
}

/** `current` with the table's keys set to `filter` (a key left out where it is the default); other keys kept. */
export function filterToUrl(filter: AccountsFilter, current: URLSearchParams): URLSearchParams {
  const out = new URLSearchParams(current);
  for (const k of FILTER_URL_KEYS) out.delete(k);
  const sameStatuses = filter.status.length === TABLE_DEFAULT_FILTER.status.length && filter.status.every((s) => TABLE_DEFAULT_FILTER.status.includes(s));
  if (!sameStatuses) out.set("status", filter.status.length === 0 ? "all" : filter.status.join(","));
  if (filter.market) out.set("market", filter.market);
  if (filter.minRatio !== null) out.set("minRatio", String(filter.minRatio));
  if (filter.sort !== TABLE_DEFAULT_FILTER.sort) out.set("sort", filter.sort);
  if (filter.q) out.set("q", filter.q);
  return out;
}

/** The column and direction of a sort. */
export function sortParts(sort: AtRiskSort): { column: AtRiskSortColumn; dir: "asc" | "desc" } {
  const [column, dir] = sort.split(":") as [AtRiskSortColumn, "asc" | "desc"];
  return { column, dir };
}
