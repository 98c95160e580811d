// The app's route handlers over a real PostgreSQL and a live runtime, without the HTTP server:
// an ingest token, a desk user and a trader (bound to "h-trader") signed in through better-auth,
// and one way to call any route with any headers and body (raw bytes or a stream included).
//
//   let h: RouteHarness;
//   beforeAll(async () => { h = await startRouteHarness(); });
//   afterAll(() => h.stop());
//   const res = await h.call("POST /api/v1/ingest/prices", { as: "ingest", json: { … } });
import { expect } from "vitest";
import { POST as authPost } from "@/app/api/auth/[...all]/route";
import { GET as getAccount } from "@/app/api/v1/accounts/[id]/route";
import { POST as postPreview } from "@/app/api/v1/accounts/[id]/topups/preview/route";
import { POST as postTopUp } from "@/app/api/v1/accounts/[id]/topups/route";
import { GET as getAccounts } from "@/app/api/v1/accounts/route";
import { GET as getAudit } from "@/app/api/v1/audit/route";
import { POST as postCollateral } from "@/app/api/v1/ingest/collateral/route";
import { POST as postFunding } from "@/app/api/v1/ingest/funding/route";
import { POST as postPositions } from "@/app/api/v1/ingest/positions/route";
import { POST as postPrices } from "@/app/api/v1/ingest/prices/route";
import { GET as getEvents } from "@/app/api/v1/liquidations/events/route";
import { GET as getQueue } from "@/app/api/v1/liquidations/queue/route";
import { GET as getLiquidationMap } from "@/app/api/v1/markets/[id]/liquidation-map/route";
import { POST as postEvaluate } from "@/app/api/v1/risk/evaluate/route";
import { POST as postStress } from "@/app/api/v1/stress/route";
import { GET as getSearch } from "@/app/api/v1/search/route";
import { GET as getAlerts } from "@/app/api/v1/alerts/route";
import { GET as getAlertCounts } from "@/app/api/v1/alerts/counts/route";
import { GET as getAlert } from "@/app/api/v1/alerts/[id]/route";
import { POST as postAcknowledge } from "@/app/api/v1/alerts/[id]/acknowledge/route";
import { POST as postResolve } from "@/app/api/v1/alerts/[id]/resolve/route";
import { POST as postSnooze } from "@/app/api/v1/alerts/[id]/snooze/route";
import { POST as postAssign } from "@/app/api/v1/alerts/[id]/assign/route";
import { GET as getAlertRules, POST as postAlertRule } from "@/app/api/v1/alert-rules/route";
import { DELETE as deleteAlertRule, PATCH as patchAlertRule } from "@/app/api/v1/alert-rules/[id]/route";
import { CLIENT_IP_HEADER, createAuth } from "@/lib/server/auth/auth";
import { setAuth } from "@/lib/server/auth/auth-registry";
import { createUser } from "@/lib/server/auth/users";
import { createIngestToken } from "@/lib/server/ingest/ingest-tokens";
import { createLogger } from "@/lib/server/logger";
import type { Runtime } from "@/lib/server/runtime";
import { setServices } from "@/lib/server/services/services-registry";
import { createTestDatabase, type TestDatabase } from "./test-database";
import { engineOf, engineSettled, setMark, startTestRuntime, testConfig } from "./test-runtime";

export const SITE = "http://localhost:3000";
const PASSWORD = "harness-password";

type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

/** Every route the harness calls, by "METHOD path" (`[id]` filled from `params.id`). */
export const ROUTES = {
  "POST /api/v1/ingest/prices": postPrices,
  "POST /api/v1/ingest/positions": postPositions,
  "POST /api/v1/ingest/collateral": postCollateral,
  "POST /api/v1/ingest/funding": postFunding,
  "POST /api/v1/accounts/[id]/topups": postTopUp,
  "POST /api/v1/accounts/[id]/topups/preview": postPreview,
  "POST /api/v1/risk/evaluate": postEvaluate,
  "POST /api/v1/stress": postStress,
  "POST /api/auth/sign-in/email": authPost,
  "GET /api/v1/accounts": getAccounts,
  "GET /api/v1/accounts/[id]": getAccount,
  "GET /api/v1/audit": getAudit,
  "GET /api/v1/liquidations/events": getEvents,
  "GET /api/v1/liquidations/queue": getQueue,
  "GET /api/v1/markets/[id]/liquidation-map": getLiquidationMap,
  "GET /api/v1/search": getSearch,
  "GET /api/v1/alerts": getAlerts,
  "GET /api/v1/alerts/counts": getAlertCounts,
  "GET /api/v1/alerts/[id]": getAlert,
  "POST /api/v1/alerts/[id]/acknowledge": postAcknowledge,
  "POST /api/v1/alerts/[id]/resolve": postResolve,
  "POST /api/v1/alerts/[id]/snooze": postSnooze,
  "POST /api/v1/alerts/[id]/assign": postAssign,
  "GET /api/v1/alert-rules": getAlertRules,
  "POST /api/v1/alert-rules": postAlertRule,
  "PATCH /api/v1/alert-rules/[id]": patchAlertRule,
  "DELETE /api/v1/alert-rules/[id]": deleteAlertRule,
} as unknown as Record<string, Handler>;
export type RouteName = keyof typeof ROUTES;

export interface CallOptions {
  /** Credential: the ingest token, the desk's or the trader's session, or none. */
  as?: "ingest" | "desk" | "trader" | "none";
  params?: Record<string, string>;
  /** Query string, appended as given (`?limit=5`). */
  query?: string;
  /** A JSON body (serialised), or raw text/bytes/stream in `body`. */
  json?: unknown;
  body?: BodyInit;
  headers?: Record<string, string>;
}

export interface RouteHarness {
  db: TestDatabase;
  runtime: Runtime;
  token: string;
  /** The account the trader owns (20,000 USD, 1 BTC long from 60,000 at a mark of 60,000). */
  traderAccount: string;
  call(route: RouteName, opts?: CallOptions): Promise<Response>;
  stop(): Promise<void>;
}

export async function startRouteHarness(): Promise<RouteHarness> {
  const db = await createTestDatabase();
  // Marks stay fresh for the whole file: what a request changed is compared before and after,
  // and a market going stale on a loaded machine would change the book on its own.
  const env = { LIQDESK_STALE_AFTER_MS: "3600000" };
  const runtime = await startTestRuntime(db, env);
  setServices(runtime.services);
  setAuth(createAuth({ prisma: db.prisma, env: testConfig(env), secret: "harness-secret-harness-secret-harness", log: createLogger("silent") }));
  const token = (await createIngestToken(db.prisma, "harness")).token;
  const traderAccount = "h-trader";
  await setMark(runtime, "BTC-PERP", 60000);
  await setMark(runtime, "ETH-PERP", 3000);
  await runtime.services.ingest.collateral({ entries: [{ accountId: traderAccount, amount: "20000", kind: "deposit", idempotencyKey: "h-dep" }] });
  await runtime.services.ingest.positions({ source: "venue", updates: [{ accountId: traderAccount, marketId: "BTC-PERP", qty: 1, entryPrice: 60000, seq: 1 }] });
  await engineSettled(runtime);
  // The markets priced above cleared their market_stale alerts: written before any test compares the audit log.
  await runtime.services.alerts.idle();
  await createUser(db.prisma, { email: "desk@h.test", name: "Desk", role: "desk", accountIds: [], password: PASSWORD });
  await createUser(db.prisma, { email: "trader@h.test", name: "Trader", role: "trader", accountIds: [traderAccount], password: PASSWORD });
  const cookies = new Map<string, string>();
  for (const [who, email] of [["desk", "desk@h.test"], ["trader", "trader@h.test"]] as const) {
    const res = await authPost(new Request(`${SITE}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: SITE, [CLIENT_IP_HEADER]: `10.9.0.${cookies.size + 1}` },
      body: JSON.stringify({ email, password: PASSWORD }),
    }));
    if (res.status !== 200) throw new Error(`sign-in of ${email} answered ${res.status}: ${await res.text()}`);
    cookies.set(who, res.headers.getSetCookie().map((c) => c.split(";")[0]).join("; "));
  }

  let ip = 0;
  return {
    db, runtime, token, traderAccount,
    async call(route, opts = {}) {
      const [method, template] = route.split(" ") as [string, string];
      const params = opts.params ?? {};
      // The handler takes its params as given (Next decodes them); the URL only needs to be one.
      const encode = (v: string) => { try { return encodeURIComponent(v); } catch { return "%EF%BF%BD"; } };
      const path = template.replace(/\[(\w+)\]/g, (_, name: string) => encode(params[name] ?? ""));
      const as = opts.as ?? (template.startsWith("/api/v1/ingest/") ? "ingest" : template.startsWith("/api/auth/") ? "none" : "desk");
      const headers: Record<string, string> = { host: "localhost:3000", [CLIENT_IP_HEADER]: `10.9.1.${(ip = (ip + 1) % 250)}` };
      if (as === "ingest") headers.authorization = `Bearer ${token}`;
      if (as === "desk" || as === "trader") headers.cookie = cookies.get(as)!;
      if (method !== "GET") headers.origin = SITE;
      if (opts.json !== undefined) headers["content-type"] = "application/json";
      Object.assign(headers, opts.headers);
      const body = opts.json !== undefined ? JSON.stringify(opts.json) : opts.body;
      const init: RequestInit & { duplex?: "half" } = { method, headers, body };
      if (body instanceof ReadableStream) init.duplex = "half";
      return ROUTES[route]!(new Request(`${SITE}${path}${opts.query ?? ""}`, init), { params: Promise.resolve(params) });
    },
    async stop() {
      setAuth(undefined);
      setServices(undefined);
      await runtime.stop();
      await db.drop();
    },
  };
}

/** What a bad request must leave as it was: row counts and sums of every table a write touches, and the engine's book. */
export async function bookState(h: RouteHarness): Promise<unknown> {
  const [row] = await h.db.prisma.$queryRaw<Record<string, string>[]>`
    SELECT (SELECT count(*) FROM accounts)::text AS accounts,
           (SELECT coalesce(sum(collateral), 0)::text FROM accounts) AS collateral,
           (SELECT count(*) FROM positions)::text AS positions,
           (SELECT coalesce(sum(qty), 0)::text || '/' || coalesce(sum(entry_price), 0)::text FROM positions) AS position_sums,
           (SELECT count(*) FROM collateral_ledger)::text AS ledger,
           (SELECT coalesce(sum(amount), 0)::text FROM collateral_ledger) AS ledger_sum,
           (SELECT count(*) FROM latest_prices)::text || '/' || (SELECT coalesce(sum(price), 0)::text FROM latest_prices) AS latest_prices,
           (SELECT count(*) FROM price_ticks_1s)::text || '/' || (SELECT coalesce(sum(count), 0)::text FROM price_ticks_1s) AS candles,
           (SELECT count(*) FROM funding_events)::text AS funding_events,
           (SELECT count(*) FROM ingest_cursors)::text AS cursors,
           (SELECT count(*) FROM audit_log WHERE action <> 'ingest.token')::text AS audit`;
  await engineSettled(h.runtime);
  const summary = await engineOf(h.runtime).client.summary();
  const markets = h.runtime.services.markets.snapshot().markets.map((m) => ({ id: m.id, mark: m.mark, sources: m.sources.map((s) => [s.source, s.price, s.ts]) }));
  return { db: row, engine: summary, markets };
}

/**
 * Calls `route` and expects a 400 `invalid_input` with a field at `path` (its message matching
 * `message`, when given), and the book as it was before (`bookState`).
 */
export async function expectRefused(h: RouteHarness, route: RouteName, opts: CallOptions, path: string, message?: RegExp): Promise<void> {
  const before = await bookState(h);
  const res = await h.call(route, opts);
  const body = await res.json();
  expect(res.status, `${route} ${JSON.stringify(body)}`).toBe(400);
  expect(body.error.code).toBe("invalid_input");
  const field = body.error.fields.find((f: { path: string }) => f.path === path);
  expect(field, `${route}: ${JSON.stringify(body.error.fields)}`).toBeDefined();
  if (message) expect(field.message).toMatch(message);
  expect(await bookState(h)).toEqual(before);
}
