import type { AccountsFilter } from "./accounts-filter";
import type { AlertsFilter } from "./alerts-filter";

/** Every TanStack Query key, in one place. */
export const queryKeys = {
  markets: ["markets"] as const,
  desk: ["desk"] as const,
  /** Every page of the at-risk list, any filter (to invalidate them together). */
  accountsAll: ["accounts"] as const,
  /** Pages of the at-risk list under one filter. */
  accountsFilter: (filter: AccountsFilter) => ["accounts", filter] as const,
  accountsPage: (filter: AccountsFilter, page: number) => ["accounts", filter, page] as const,
  account: (id: string) => ["account", id] as const,
  /** The desk's account search (`GET /api/v1/search`), by query. */
  accountSearch: (q: string) => ["account-search", q] as const,
  /** The account's newest live view pushed by the socket or answered by a top-up (a cache entry, never fetched). */
  accountLive: (id: string) => ["account-live", id] as const,
  liquidationMap: (marketId: string) => ["liquidation-map", marketId] as const,
  insuranceFund: ["insurance-fund"] as const,
  /** Every preview of one account's top-up (to refresh them after a top-up). */
  topUpPreviews: (accountId: string) => ["topup-preview", accountId] as const,
  /** `marketId`: margin added to that isolated position (spec §11); null: a top-up of the account. */
  topUpPreview: (accountId: string, amount: string | null, marketId: string | null = null) => ["topup-preview", accountId, amount, marketId] as const,
  /** Everything about alerts (to refresh it all after a reconnect). */
  alertsAll: ["alerts"] as const,
  alertCounts: ["alerts", "counts"] as const,
  /** Every list of the inbox, any filter. */
  alertLists: ["alerts", "list"] as const,
  alertList: (filter: AlertsFilter) => ["alerts", "list", filter] as const,
  alertDetail: (id: string) => ["alerts", "detail", id] as const,
  alertRules: ["alert-rules"] as const,
  /** One account's margin calls (polled, and kept current by the socket's `account:margin-call`). */
  marginCalls: (accountId: string) => ["margin-calls", accountId] as const,
};
