import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { io, type Socket } from "socket.io-client";
import { IngestClient } from "../support/ingest-client";
import { runScript, startAppServer, stopAndRemove, type AppServer } from "../support/app-server";
import { createUser, DEMO_DESK, signIn, type Session } from "../support/sign-in";

/**
 * The authorization matrix (issue 6), generated from ONE table: DESIGN.md's "who" for every HTTP
 * endpoint, page and socket room. Every role × every row is requested against a real server and
 * must answer as the table says: allowed, 401 (no valid credential of the kind the row takes) or
 * 403 (a valid one that is not allowed). Pages answer 401 with a redirect to /sign-in and 403
 * with a redirect to the role's own home.
 */
type Who = "open" | "signedIn" | "desk" | "trader" | "deskOrOwner" | "ingest" | "scrape";
type Role = "anonymous" | "traderA" | "traderB" | "desk" | "ingest" | "scrape";
type Outcome = "allowed" | 401 | 403;

const ROLES: Role[] = ["anonymous", "traderA", "traderB", "desk", "ingest", "scrape"];
/** Trader A owns ACC_A, trader B owns ACC_B; rows about "an account" name ACC_A. */
const ACC_A = "mx-acc-a";
const ACC_B = "mx-acc-b";
/** In danger (liquidatable): ACC_C has an open margin call (#1, issued in beforeAll) to cancel, ACC_D none yet to issue. */
const ACC_C = "mx-acc-c-call";
const ACC_D = "mx-acc-d-call";
const METRICS_TOKEN = "matrix-scrape-token-0123456789abcdef";

let seq = 0;
const next = () => ++seq;
const ts = () => Date.now() + next();

interface Row {
  kind: "api" | "page";
  method: "GET" | "POST" | "PATCH" | "DELETE";
  /** The route file's path pattern, e.g. /api/v1/accounts/[id]. */
  route: string;
  /** The URL requested (a function: read when the row runs, e.g. an id made in beforeAll). */
  url: string | (() => string);
  who: Who;
  body?: () => unknown;
}

const ROWS: Row[] = [
  { kind: "api", method: "POST", route: "/api/v1/ingest/prices", url: "/api/v1/ingest/prices", who: "ingest",
    body: () => ({ source: "mx", ticks: [{ marketId: "BTC-PERP", price: 62000, ts: ts() }] }) },
  { kind: "api", method: "POST", route: "/api/v1/ingest/positions", url: "/api/v1/ingest/positions", who: "ingest",
    body: () => ({ source: "mx-venue", updates: [{ accountId: "mx-acc-c", marketId: "ETH-PERP", qty: 1, entryPrice: 3000, seq: next() }] }) },
  { kind: "api", method: "POST", route: "/api/v1/ingest/collateral", url: "/api/v1/ingest/collateral", who: "ingest",
    body: () => ({ entries: [{ accountId: "mx-acc-c", amount: "1", kind: "deposit", idempotencyKey: `mx-dep-${next()}` }] }) },
  { kind: "api", method: "POST", route: "/api/v1/ingest/funding", url: "/api/v1/ingest/funding", who: "ingest",
    body: () => ({ marketId: "ETH-PERP", rate: 0.00001, markPrice: 3000, ts: ts() }) },
  { kind: "api", method: "GET", route: "/api/v1/accounts", url: "/api/v1/accounts?limit=5", who: "desk" },
  { kind: "api", method: "GET", route: "/api/v1/accounts/[id]", url: `/api/v1/accounts/${ACC_A}`, who: "deskOrOwner" },
  { kind: "api", method: "POST", route: "/api/v1/accounts/[id]/topups", url: `/api/v1/accounts/${ACC_A}/topups`, who: "deskOrOwner",
    body: () => ({ amount: "1", idempotencyKey: `mx-${next()}`, note: "matrix" }) },
  { kind: "api", method: "POST", route: "/api/v1/accounts/[id]/topups/preview", url: `/api/v1/accounts/${ACC_A}/topups/preview`, who: "deskOrOwner",
    body: () => ({ amount: "10" }) },
  { kind: "api", method: "GET", route: "/api/v1/search", url: "/api/v1/search?q=mx", who: "desk" },
  { kind: "api", method: "GET", route: "/api/v1/accounts/[id]/margin-calls", url: `/api/v1/accounts/${ACC_A}/margin-calls`, who: "deskOrOwner" },
  { kind: "api", method: "POST", route: "/api/v1/accounts/[id]/margin-calls", url: `/api/v1/accounts/${ACC_D}/margin-calls`, who: "desk",
    body: () => ({ deadline: new Date(Date.now() + 3_600_000).toISOString(), message: "matrix" }) },
  { kind: "api", method: "POST", route: "/api/v1/accounts/[id]/margin-calls/[callId]/cancel", url: `/api/v1/accounts/${ACC_C}/margin-calls/1/cancel`, who: "desk",
    body: () => ({ note: "matrix" }) },
  { kind: "api", method: "GET", route: "/api/v1/liquidations/queue", url: "/api/v1/liquidations/queue", who: "desk" },
  { kind: "api", method: "GET", route: "/api/v1/liquidations/events", url: `/api/v1/liquidations/events?accountId=${ACC_A}`, who: "deskOrOwner" },
  { kind: "api", method: "GET", route: "/api/v1/liquidations/events", url: "/api/v1/liquidations/events", who: "desk" },
  { kind: "api", method: "GET", route: "/api/v1/markets", url: "/api/v1/markets", who: "signedIn" },
  { kind: "api", method: "GET", route: "/api/v1/markets/[id]/liquidation-map", url: "/api/v1/markets/BTC-PERP/liquidation-map", who: "signedIn" },
  { kind: "api", method: "POST", route: "/api/v1/risk/evaluate", url: "/api/v1/risk/evaluate", who: "signedIn",
    body: () => ({ markets: [{ id: "X", lotSize: 1, tickSize: 0.1, liquidationFeeRate: 0.001, tiers: [{ maxNotional: null, mmr: 0.01, maxLeverage: 50 }],
      liquidity: { halfSpreadBps: 1, depthPer1Pct: 1000000 } }], prices: { X: 100 }, accounts: [] }) },
  { kind: "api", method: "POST", route: "/api/v1/stress", url: "/api/v1/stress", who: "desk", body: () => ({ shocks: { "BTC-PERP": -0.05 }, maxRounds: 1 }) },
  { kind: "api", method: "GET", route: "/api/v1/insurance-fund", url: "/api/v1/insurance-fund", who: "desk" },
  { kind: "api", method: "GET", route: "/api/v1/desk/snapshot", url: "/api/v1/desk/snapshot", who: "desk" },
  { kind: "api", method: "GET", route: "/api/v1/audit", url: "/api/v1/audit", who: "desk" },
  { kind: "api", method: "GET", route: "/api/v1/me", url: "/api/v1/me", who: "signedIn" },
  // Alerts: the desk's. The alert is one the server raised at start (a market never priced is stale).
  { kind: "api", method: "GET", route: "/api/v1/alerts", url: "/api/v1/alerts", who: "desk" },
  { kind: "api", method: "GET", route: "/api/v1/alerts/counts", url: "/api/v1/alerts/counts", who: "desk" },
  { kind: "api", method: "GET", route: "/api/v1/alerts/[id]", url: () => `/api/v1/alerts/${fixtures.alertId}`, who: "desk" },
  { kind: "api", method: "POST", route: "/api/v1/alerts/[id]/acknowledge", url: () => `/api/v1/alerts/${fixtures.alertId}/acknowledge`, who: "desk", body: () => ({ note: "matrix" }) },
  { kind: "api", method: "POST", route: "/api/v1/alerts/[id]/snooze", url: () => `/api/v1/alerts/${fixtures.alertId}/snooze`, who: "desk", body: () => ({ until: Date.now() + 60_000 }) },
  { kind: "api", method: "POST", route: "/api/v1/alerts/[id]/assign", url: () => `/api/v1/alerts/${fixtures.alertId}/assign`, who: "desk", body: () => ({ assigneeId: fixtures.deskUserId }) },
  { kind: "api", method: "POST", route: "/api/v1/alerts/[id]/resolve", url: () => `/api/v1/alerts/${fixtures.alertId}/resolve`, who: "desk", body: () => ({ note: "matrix" }) },
  { kind: "api", method: "GET", route: "/api/v1/alert-rules", url: "/api/v1/alert-rules", who: "desk" },
  { kind: "api", method: "POST", route: "/api/v1/alert-rules", url: "/api/v1/alert-rules", who: "desk",
    body: () => ({ name: `matrix ${next()}`, kind: "negative_collateral", severity: "info" }) },
  { kind: "api", method: "PATCH", route: "/api/v1/alert-rules/[id]", url: () => `/api/v1/alert-rules/${fixtures.ruleId}`, who: "desk", body: () => ({ severity: "warning" }) },
  { kind: "api", method: "DELETE", route: "/api/v1/alert-rules/[id]", url: () => `/api/v1/alert-rules/${fixtures.ruleId}`, who: "desk" },
  { kind: "api", method: "GET", route: "/api/health", url: "/api/health", who: "open" },
  { kind: "api", method: "GET", route: "/api/metrics", url: "/api/metrics", who: "scrape" },
  { kind: "api", method: "GET", route: "/api/auth/[...all]", url: "/api/auth/get-session", who: "open" },
  { kind: "api", method: "POST", route: "/api/auth/[...all]", url: "/api/auth/sign-out", who: "open", body: () => ({}) },
  { kind: "page", method: "GET", route: "/desk", url: "/desk", who: "desk" },
  { kind: "page", method: "GET", route: "/desk/accounts/[id]", url: `/desk/accounts/${ACC_A}`, who: "desk" },
  { kind: "page", method: "GET", route: "/desk/audit", url: "/desk/audit", who: "desk" },
  { kind: "page", method: "GET", route: "/desk/alerts", url: "/desk/alerts", who: "desk" },
  { kind: "page", method: "GET", route: "/desk/alerts/rules", url: "/desk/alerts/rules", who: "desk" },
  { kind: "page", method: "GET", route: "/account", url: "/account", who: "trader" },
  { kind: "page", method: "GET", route: "/sign-in", url: "/sign-in", who: "open" },
];

/** What alert rows name, made in beforeAll: an alert the server raised, a rule the desk added, the desk user's id. */
const fixtures = { alertId: "", ruleId: "", deskUserId: "" };
const urlOf = (row: Row) => (typeof row.url === "function" ? row.url() : row.url);

/** Socket rooms: `desk`, `markets` and `alerts` are given at connection; an account room is asked for with `account:watch`. */
const ROOMS: { room: string; who: Who }[] = [
  { room: "desk", who: "desk" },
  { room: "alerts", who: "desk" },
  { room: "markets", who: "signedIn" },
  { room: `account:${ACC_A}`, who: "deskOrOwner" },
];

/** What the table says for a role: DESIGN.md's rules, written out. */
function expected(role: Role, who: Who): Outcome {
  if (who === "open") return "allowed";
  if (who === "ingest" || who === "scrape") return role === who ? "allowed" : 401;
  if (role === "anonymous" || role === "ingest" || role === "scrape") return 401; // no session
  if (role === "desk") return who === "trader" ? 403 : "allowed";
  switch (who) {
    case "signedIn": case "trader": return "allowed";
    case "desk": return 403;
    case "deskOrOwner": return role === "traderA" ? "allowed" : 403;
  }
}

/** Every route file under app/ (API handlers and pages) with its methods, as the table must name them. */
function routesInApp(): string[] {
  const root = path.resolve(import.meta.dirname, "../../app");
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      // Route groups, "(name)", are folders that do not appear in the URL.
      const route = "/" + path.relative(root, dir).split(path.sep).filter((s) => !/^\(.*\)$/.test(s)).join("/");
      if (name === "route.ts") {
        const text = readFileSync(full, "utf8");
        for (const m of text.matchAll(/export (?:const|async function) (GET|POST|PUT|PATCH|DELETE)\b/g)) out.push(`${m[1]} ${route}`);
      }
      if (name === "page.tsx" && route !== "/") out.push(`GET ${route}`);
    }
  };
  walk(root);
  return out.sort();
}

describe("authorization matrix", () => {
  let server: AppServer;
  const sessions = new Map<Role, Session | null>();
  const logins = new Map<Role, { email: string; password: string }>();
  let ingestToken: string;

  function headersFor(role: Role): Record<string, string> {
    const session = sessions.get(role);
    if (session) return { cookie: session.cookie };
    if (role === "ingest") return { authorization: `Bearer ${ingestToken}` };
    if (role === "scrape") return { authorization: `Bearer ${METRICS_TOKEN}` };
    return {};
  }

  beforeAll(async () => {
    server = await startAppServer({ env: {
      LIQDESK_SIMULATOR: "off", LIQDESK_EXECUTION: "off", LIQDESK_STALE_AFTER_MS: "600000", LIQDESK_METRICS_TOKEN: METRICS_TOKEN,
      LIQDESK_TOPUP_RATE_LIMIT: "1000",
    } });
    ingestToken = runScript(server, "token", ["create", "matrix"]).trim();
    const ingest = new IngestClient(server.url, ingestToken);
    await ingest.mark("BTC-PERP", 60000);
    await ingest.mark("ETH-PERP", 3000);
    await ingest.post("collateral", { entries: [ACC_A, ACC_B].map((a) => ({ accountId: a, amount: "5000", kind: "deposit", idempotencyKey: `${a}-dep` })) });
    await ingest.post("positions", { source: "mx-venue", updates: [ACC_A, ACC_B].map((a) => ({ accountId: a, marketId: "BTC-PERP", qty: 0.5, entryPrice: 60000, seq: 1 })) });
    await ingest.post("collateral", { entries: [ACC_C, ACC_D].map((a) => ({ accountId: a, amount: "20000", kind: "deposit", idempotencyKey: `${a}-dep` })) });
    await ingest.post("positions", { source: "mx-venue", updates: [ACC_C, ACC_D].map((a) => ({ accountId: a, marketId: "BTC-PERP", qty: 12, entryPrice: 61200, seq: 1 })) });
    const pa = createUser(server, "a@matrix.test", "trader", [ACC_A]);
    const pb = createUser(server, "b@matrix.test", "trader", [ACC_B]);
    sessions.set("anonymous", null).set("ingest", null).set("scrape", null);
    logins.set("desk", DEMO_DESK).set("traderA", { email: "a@matrix.test", password: pa }).set("traderB", { email: "b@matrix.test", password: pb });
    for (const [role, login] of logins) sessions.set(role, await signIn(server.url, login.email, login.password));
    const desk = sessions.get("desk")!;
    const alerts = await (await desk.fetch("/api/v1/alerts?ruleId=market-stale&limit=1")).json() as { items: { id: string }[] };
    fixtures.alertId = alerts.items[0]!.id;
    fixtures.ruleId = (await (await desk.post("/api/v1/alert-rules", { name: "matrix rule", kind: "negative_collateral", severity: "info" })).json() as { id: string }).id;
    fixtures.deskUserId = (await (await desk.fetch("/api/v1/me")).json() as { userId: string }).userId;
    const call = await sessions.get("desk")!.post(`/api/v1/accounts/${ACC_C}/margin-calls`, { deadline: new Date(Date.now() + 3_600_000).toISOString(), message: "matrix" });
    expect(await call.json()).toMatchObject({ id: "1", state: "open" });
  });
  afterAll(async () => {
    await stopAndRemove(server);
  });

  it("the table names every route and page of the app", () => {
    const inTable = [...new Set(ROWS.map((r) => `${r.method} ${r.route}`))].sort();
    expect(inTable).toEqual(routesInApp());
  });

  it.each(ROWS.flatMap((row) => ROLES.map((role) => ({ row, role, label: `${role} ${row.method} ${typeof row.url === "string" ? row.url : row.route} → ${String(expected(role, row.who))}` }))))(
    "$label", async ({ row, role }) => {
      const want = expected(role, row.who);
      const headers: Record<string, string> = { ...headersFor(role), origin: server.url };
      const init: RequestInit = { method: row.method, headers, redirect: "manual" };
      if (row.body) {
        headers["content-type"] = "application/json";
        init.body = JSON.stringify(row.body());
      }
      const res = await fetch(`${server.url}${urlOf(row)}`, init);
      // Signing out ended the role's session: sign in again for the rows that follow.
      const login = logins.get(role);
      if (urlOf(row) === "/api/auth/sign-out" && login) sessions.set(role, await signIn(server.url, login.email, login.password));
      const text = await res.text();
      let got: Outcome;
      if (row.kind === "page") {
        const location = res.headers.get("location");
        // An open page may send a signed-in user on to their home (/sign-in does): still allowed.
        got = res.status === 200 || (row.who === "open" && location) ? "allowed"
          : location?.startsWith("/sign-in") ? 401 : location ? 403 : (res.status as Outcome);
      } else {
        got = res.status === 401 || res.status === 403 ? res.status : "allowed";
        if (got === "allowed") expect(res.status, text).toBeLessThan(300);
      }
      expect(got, `${res.status} ${text.slice(0, 200)}`).toBe(want);
    },
  );

  describe("socket rooms", () => {
    const connect = (role: Role) => io(server.url, {
      transports: ["websocket"], reconnection: false, forceNew: true, extraHeaders: headersFor(role),
    });

    async function outcome(role: Role, room: string): Promise<Outcome> {
      const socket: Socket = connect(role);
      try {
        const connected = await new Promise<true | { status?: number }>((resolve) => {
          socket.once("connect", () => resolve(true));
          socket.once("connect_error", (err: Error & { data?: { status?: number } }) => resolve(err.data ?? {}));
        });
        if (connected !== true) return connected.status === 401 ? 401 : (connected.status as Outcome);
        const rooms = await socket.emitWithAck("session:rooms") as string[];
        if (rooms.includes(room)) return "allowed";
        if (!room.startsWith("account:")) return 403;
        const ack = await socket.emitWithAck("account:watch", room.slice("account:".length)) as { ok: boolean; status?: number };
        if (!ack.ok) return ack.status as Outcome;
        return (await socket.emitWithAck("session:rooms") as string[]).includes(room) ? "allowed" : 403;
      } finally {
        socket.disconnect();
      }
    }

    it.each(ROOMS.flatMap(({ room, who }) => ROLES.map((role) => ({ room, role, want: expected(role, who) }))))(
      "$role in room $room → $want", async ({ room, role, want }) => {
        expect(await outcome(role, room)).toBe(want);
      },
    );

    it("trader B's own account room is given to it at connection, and trader A's view pushes never reach it", async () => {
      const socket = connect("traderB");
      const views: string[] = [];
      socket.on("account:view", (u: { accountId: string }) => views.push(u.accountId));
      let desk = 0;
      socket.on("desk:snapshot", () => desk++);
      await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
      expect(await socket.emitWithAck("session:rooms")).toEqual(expect.arrayContaining(["markets", `account:${ACC_B}`]));
      await new Promise((r) => setTimeout(r, 2500));
      socket.disconnect();
      expect(views.length).toBeGreaterThan(0);
      expect(new Set(views)).toEqual(new Set([ACC_B]));
      expect(desk).toBe(0);
    });
  });
});
