import type { AccountStatus } from "@/lib/risk";

/** What the at-risk table asks `GET /api/v1/accounts` for (everything but the page). */
export interface AccountsFilter {
  /** Empty: every status. */
  status: AccountStatus[];
  /** Empty: every market. */
  market: string;
  /** Margin ratio floor as a fraction (0.8 = 80%); null: none. */
  minRatio: number | null;
  sort: "marginRatio:desc" | "marginRatio:asc";
  /** Account id prefix; empty: none. */
  q: string;
}

export const DEFAULT_ACCOUNTS_FILTER: AccountsFilter = { status: [], market: "", minRatio: null, sort: "marginRatio:desc", q: "" };

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
