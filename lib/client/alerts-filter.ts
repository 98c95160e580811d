import { ALERT_SEVERITIES, ALERT_STATES, type AlertSeverity, type AlertState } from "@/lib/contracts/alerts";

/** The inbox's filter, as the URL holds it (`/desk/alerts?state=open&severity=critical&rule=…&market=…&assignee=…`). */
export interface AlertsFilter {
  /** Empty: unresolved (open and acknowledged). */
  readonly states: readonly AlertState[];
  readonly severities: readonly AlertSeverity[];
  readonly ruleId: string | null;
  readonly marketId: string | null;
  /** A desk user's id, "none" (assigned to nobody), or null (anyone). */
  readonly assignee: string | null;
}

/** The inbox shows the newest this many alerts of a filter (the total is shown beside them). */
export const ALERTS_PAGE = 100;

export const DEFAULT_ALERTS_FILTER: AlertsFilter = { states: [], severities: [], ruleId: null, marketId: null, assignee: null };

/** The longest value kept from the URL (the server refuses longer ids anyway). */
const MAX_VALUE = 128;

type Params = URLSearchParams | Record<string, string | string[] | undefined>;

function values(params: Params, key: string): string[] {
  const raw = params instanceof URLSearchParams ? params.getAll(key) : [params[key] ?? []].flat();
  return raw.flatMap((v) => v.split(",")).map((v) => v.trim()).filter(Boolean);
}

function one(params: Params, key: string): string | null {
  const v = values(params, key)[0];
  return v !== undefined && v.length <= MAX_VALUE ? v : null;
}

/** The filter a URL asks for; values it cannot be (an unknown state, severity) are dropped, never sent on. */
export function alertsFilterOf(params: Params): AlertsFilter {
  const pick = <T extends string>(key: string, allowed: readonly T[]) =>
    [...new Set(values(params, key).filter((v): v is T => (allowed as readonly string[]).includes(v)))].sort((a, b) => allowed.indexOf(a) - allowed.indexOf(b));
  return {
    states: pick("state", ALERT_STATES),
    severities: pick("severity", ALERT_SEVERITIES),
    ruleId: one(params, "rule"),
    marketId: one(params, "market"),
    assignee: one(params, "assignee"),
  };
}

/** The page's query string for a filter ("" for the default). */
export function alertsFilterSearch(f: AlertsFilter): string {
  const q = new URLSearchParams();
  if (f.states.length) q.set("state", f.states.join(","));
  if (f.severities.length) q.set("severity", f.severities.join(","));
  if (f.ruleId) q.set("rule", f.ruleId);
  if (f.marketId) q.set("market", f.marketId);
  if (f.assignee) q.set("assignee", f.assignee);
  const s = q.toString();
  return s ? `?${s}` : "";
}

/** The API's query for a filter (GET /api/v1/alerts), as an object of strings. */
export function alertsApiQuery(f: AlertsFilter, limit: number): Record<string, string> {
  return {
    ...(f.states.length ? { state: f.states.join(",") } : {}),
    ...(f.severities.length ? { severity: f.severities.join(",") } : {}),
    ...(f.ruleId ? { ruleId: f.ruleId } : {}),
    ...(f.marketId ? { marketId: f.marketId } : {}),
    ...(f.assignee ? { assignee: f.assignee } : {}),
    limit: String(limit),
  };
}
