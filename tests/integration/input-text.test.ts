// Issue 15 item 7: a NUL or a lone surrogate in any string (id, source, note, key, record key,
// query or path parameter) is a 400 naming the field, never a 500; a body that is not valid
// UTF-8 is refused, never decoded with replacement characters (which created `p-utf��`).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectRefused, startRouteHarness, type CallOptions, type RouteHarness, type RouteName } from "../support/route-harness";
import { BTC } from "../unit/risk/helpers/markets";

const NUL = "\u0000";
const LONE = "\ud800";

describe("strings are text: no NUL, no lone surrogate, strict UTF-8", () => {
  let h: RouteHarness;
  beforeAll(async () => {
    h = await startRouteHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  const refused = (route: RouteName, opts: CallOptions, path: string, message?: RegExp) => expectRefused(h, route, opts, path, message);

  const now = Date.now();
  const cases: [string, RouteName, (bad: string) => CallOptions, string][] = [
    ["prices source", "POST /api/v1/ingest/prices", (b) => ({ json: { source: `s${b}`, ticks: [{ marketId: "BTC-PERP", price: 60000, ts: now }] } }), "source"],
    ["prices marketId", "POST /api/v1/ingest/prices", (b) => ({ json: { source: "s", ticks: [{ marketId: `BTC${b}`, price: 60000, ts: now }] } }), "ticks[0].marketId"],
    ["positions accountId", "POST /api/v1/ingest/positions", (b) => ({ json: { source: "v", updates: [{ accountId: `p${b}`, marketId: "BTC-PERP", qty: 1, entryPrice: 60000, seq: 1 }] } }), "updates[0].accountId"],
    ["positions source", "POST /api/v1/ingest/positions", (b) => ({ json: { source: `v${b}`, updates: [{ accountId: "p", marketId: "BTC-PERP", qty: 1, entryPrice: 60000, seq: 1 }] } }), "source"],
    ["collateral note", "POST /api/v1/ingest/collateral", (b) => ({ json: { entries: [{ accountId: "c", amount: 5, kind: "deposit", idempotencyKey: "k", note: `n${b}` }] } }), "entries[0].note"],
    ["collateral key", "POST /api/v1/ingest/collateral", (b) => ({ json: { entries: [{ accountId: "c", amount: 5, kind: "deposit", idempotencyKey: `k${b}` }] } }), "entries[0].idempotencyKey"],
    ["collateral accountId", "POST /api/v1/ingest/collateral", (b) => ({ json: { entries: [{ accountId: `c${b}`, amount: 5, kind: "deposit", idempotencyKey: "k" }] } }), "entries[0].accountId"],
    ["funding marketId", "POST /api/v1/ingest/funding", (b) => ({ json: { marketId: `BTC-PERP${b}`, rate: 0.0001, markPrice: 60000, ts: now } }), "marketId"],
    ["top-up note", "POST /api/v1/accounts/[id]/topups", (b) => ({ params: { id: "h-trader" }, json: { amount: "5", idempotencyKey: "k", note: `n${b}` } }), "note"],
    ["top-up key", "POST /api/v1/accounts/[id]/topups", (b) => ({ params: { id: "h-trader" }, json: { amount: "5", idempotencyKey: `k${b}`, note: "n" } }), "idempotencyKey"],
    ["evaluate account id", "POST /api/v1/risk/evaluate", (b) => ({ json: { markets: [BTC], prices: { "BTC-PERP": 60000 }, accounts: [{ id: `a${b}`, collateral: 1, positions: [] }] } }), "accounts[0].id"],
    ["evaluate prices key", "POST /api/v1/risk/evaluate", (b) => ({ json: { markets: [BTC], prices: { [`BTC${b}`]: 60000 }, accounts: [] } }), `prices.BTC${"\u0000"}`],
    ["stress shocks key", "POST /api/v1/stress", (b) => ({ json: { shocks: { [`BTC${b}`]: -0.1 } } }), `shocks.BTC${"\u0000"}`],
  ];

  it.each(cases)("a NUL in %s is a 400 naming it, nothing changed", async (_label, route, make, path) => {
    await refused(route, make(NUL), path.replace("\u0000", NUL), /NUL/);
  });

  it.each(cases)("a lone surrogate in %s is a 400 naming it, nothing changed", async (_label, route, make, path) => {
    await refused(route, make(LONE), path.replace("\u0000", LONE), /lone surrogate/);
  });

  it("a body that is not valid UTF-8 is refused, never decoded with replacement characters", async () => {
    const json = JSON.stringify({ source: "v", updates: [{ accountId: "p-utf@@", marketId: "BTC-PERP", qty: 1, entryPrice: 60000, seq: 1 }] });
    const bytes = Buffer.from(json, "utf8");
    const at = bytes.indexOf("@@");
    bytes[at] = 0xff;
    bytes[at + 1] = 0xfe;
    await refused("POST /api/v1/ingest/positions", { body: bytes, headers: { "content-type": "application/json" } }, "(body)", /not valid UTF-8/);
    expect(await h.db.prisma.account.count({ where: { id: { startsWith: "p-utf" } } })).toBe(0);
    // Valid UTF-8 beyond ASCII (and a pair of surrogates, one character) is text.
    const ok = await h.call("POST /api/v1/ingest/positions", { json: { source: "v", updates: [{ accountId: "p-utf-é-😀", marketId: "BTC-PERP", qty: 1, entryPrice: 60000, seq: 1 }] } });
    expect(ok.status).toBe(200);
  });

  it("query parameters and path parameters with a NUL are a 400 naming them", async () => {
    const query = async (route: RouteName, q: string, path: string, params?: Record<string, string>) => {
      const res = await h.call(route, { query: q, params });
      const body = await res.json();
      expect(res.status, `${route}${q} ${JSON.stringify(body)}`).toBe(400);
      expect(body.error.fields.map((f: { path: string }) => f.path)).toContain(path);
    };
    await query("GET /api/v1/audit", "?accountId=%00", "accountId");
    await query("GET /api/v1/audit", "?action=a%00", "action");
    await query("GET /api/v1/accounts", "?q=%00", "q");
    await query("GET /api/v1/accounts", "?market=%00", "market");
    await query("GET /api/v1/liquidations/events", "?accountId=%00", "accountId");
    await query("GET /api/v1/liquidations/queue", "?x=%00", "x");
    await query("GET /api/v1/accounts/[id]", "", "id", { id: NUL });
    await query("GET /api/v1/accounts/[id]", "", "id", { id: LONE });
    await query("GET /api/v1/markets/[id]/liquidation-map", "", "id", { id: `BTC${NUL}` });
    await query("POST /api/v1/accounts/[id]/topups/preview", "", "id", { id: `h${NUL}` });
  });

  it("sign-in: a NUL in the email is a 400, not a 500", async () => {
    const res = await h.call("POST /api/auth/sign-in/email", { json: { email: `desk@h.test${NUL}`, password: "x" } });
    expect(res.status).toBe(400);
    expect((await res.json()).error.fields[0].path).toBe("email");
  });
});
