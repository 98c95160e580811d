// Issue 15 item 6: every number that can reach PostgreSQL or a figure is range-checked up front
// (lib/risk/bounds.ts; the bounds are written out here as docs/API.md states them): 400 naming the field, nothing changed — never a 500, a number
// PostgreSQL rounds to something else, or a figure that is not finite.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectRefused, startRouteHarness, type CallOptions, type RouteHarness, type RouteName } from "../support/route-harness";
import { BTC } from "../unit/risk/helpers/markets";

describe("numbers are range-checked before anything is written or computed", () => {
  let h: RouteHarness;
  beforeAll(async () => {
    h = await startRouteHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  const refused = (route: RouteName, opts: CallOptions, path: string, message?: RegExp) => expectRefused(h, route, opts, path, message);

  const ts = () => Date.now();

  it("prices: a 40-digit price, 1e-30 (PostgreSQL would keep 0) and more than 18 decimals are refused", async () => {
    const tick = (price: number) => ({ json: { source: "bounds", ticks: [{ marketId: "BTC-PERP", price: 60000, ts: ts() }, { marketId: "BTC-PERP", price, ts: ts() + 1 }] } });
    await refused("POST /api/v1/ingest/prices", tick(1234567890123456789012345678901234567890), "ticks[1].price", /between 0\.00000001 and 1000000000 USD/);
    await refused("POST /api/v1/ingest/prices", tick(1e-30), "ticks[1].price", /between/);
    await refused("POST /api/v1/ingest/prices", tick(1.2345678901234e-8), "ticks[1].price", /more than 18 decimals/);
    await refused("POST /api/v1/ingest/prices", { json: { source: "bounds", ticks: [{ marketId: "BTC-PERP", price: 60000, ts: 1.5 }] } }, "ticks[0].ts");
    await refused("POST /api/v1/ingest/prices", { json: { source: "bounds", ticks: [{ marketId: "BTC-PERP", price: 60000, ts: -1 }] } }, "ticks[0].ts");
    // The bounds themselves are taken, and PostgreSQL keeps exactly what the engine uses.
    const ok = await h.call("POST /api/v1/ingest/prices", { json: { source: "bounds", ticks: [{ marketId: "ETH-PERP", price: 1e-8, ts: ts() }] } });
    expect(ok.status).toBe(200);
    const [row] = await h.db.prisma.$queryRaw<{ price: string }[]>`SELECT trim_scale(price)::text AS price FROM latest_prices WHERE source = 'bounds'`;
    expect(row?.price).toBe("0.00000001");
  });

  it("positions: quantities, entry prices and sequence numbers out of range are refused", async () => {
    const update = (u: Record<string, unknown>) => ({ json: { source: "venue-b", updates: [{ accountId: "b-pos", marketId: "BTC-PERP", qty: 1, entryPrice: 60000, seq: 1, ...u }] } });
    await refused("POST /api/v1/ingest/positions", update({ qty: "10000000000" }), "updates[0].qty", /base units/);
    await refused("POST /api/v1/ingest/positions", update({ entryPrice: "1e-30" }), "updates[0].entryPrice");
    await refused("POST /api/v1/ingest/positions", update({ entryPrice: "0.000000000000000001" }), "updates[0].entryPrice", /between 0\.00000001/);
    await refused("POST /api/v1/ingest/positions", update({ entryPrice: "1234567890123456789012345678901234567890" }), "updates[0].entryPrice");
    await refused("POST /api/v1/ingest/positions", update({ seq: "9223372036854775808" }), "updates[0].seq");
  });

  it("collateral: an amount beyond 10^15 USD, and deposits whose sum leaves the balance range, are refused with nothing written", async () => {
    const deposit = (amount: string, key: string) => ({ accountId: "b-rich", amount, kind: "deposit", idempotencyKey: key });
    // The probe: two deposits of 99999999999999999999 to one account (each a 500 before).
    await refused("POST /api/v1/ingest/collateral", { json: { entries: [deposit("99999999999999999999", "big-1"), deposit("99999999999999999999", "big-2")] } },
      "entries[0].amount", /between -1000000000000000 and 1000000000000000 USD/);
    // Each in range, their running sum not: the 1,001st deposit of 10^15 takes the balance past 10^18.
    const many = Array.from({ length: 1001 }, (_, i) => deposit("1000000000000000", `many-${i}`));
    await refused("POST /api/v1/ingest/collateral", { json: { entries: many } }, "entries[1000].amount", /beyond the allowed range .* nothing was applied/);
    // The same at the limit is taken: the balance is exactly 10^18.
    const res = await h.call("POST /api/v1/ingest/collateral", { json: { entries: many.slice(0, 1000) } });
    expect(res.status).toBe(200);
    expect((await h.db.prisma.account.findUniqueOrThrow({ where: { id: "b-rich" } })).collateral.toFixed()).toBe("1000000000000000000");
    // Then one more in a later batch: refused inside the transaction, nothing written.
    await refused("POST /api/v1/ingest/collateral", { json: { entries: [deposit("0.000001", "one-more")] } }, "entries[0].amount", /beyond/);
  });

  it("top-ups: an amount beyond the range, or one that takes the balance past it, is a 400 on amount (preview too)", async () => {
    const topUp = (amount: string, key: string) => ({ params: { id: "b-rich" }, json: { amount, idempotencyKey: key, note: "bounds" } });
    await refused("POST /api/v1/accounts/[id]/topups", topUp("99999999999999999999", "t-big"), "amount");
    await refused("POST /api/v1/accounts/[id]/topups/preview", { params: { id: "b-rich" }, json: { amount: "99999999999999999999" } }, "amount");
    // b-rich holds 10^18 (the test above): one more cent is beyond the range.
    await refused("POST /api/v1/accounts/[id]/topups", topUp("0.01", "t-cent"), "amount", /beyond the allowed range/);
  });

  it("funding: a mark price out of range, and a payment that takes a balance out of range, are refused with no event written", async () => {
    await refused("POST /api/v1/ingest/funding", { json: { marketId: "ETH-PERP", rate: "0.0001", markPrice: "1e40", ts: ts() } }, "markPrice");
    await refused("POST /api/v1/ingest/funding", { json: { marketId: "ETH-PERP", rate: "0.0001", markPrice: "99999999999999999999", ts: ts() } }, "markPrice");
    // A short of 10^9 ETH with 1.1×10^16 USD: a rate of 0.999 at a mark of 10^9 pays it 9.99×10^17, past 10^18.
    const entries = Array.from({ length: 11 }, (_, i) => ({ accountId: "b-fund", amount: "1000000000000000", kind: "deposit", idempotencyKey: `f-${i}` }));
    expect((await h.call("POST /api/v1/ingest/collateral", { json: { entries } })).status).toBe(200);
    const pos = await h.call("POST /api/v1/ingest/positions", { json: { source: "venue-f", updates: [{ accountId: "b-fund", marketId: "ETH-PERP", qty: "-1000000000", entryPrice: 3000, seq: 1 }] } });
    expect(pos.status).toBe(200);
    await refused("POST /api/v1/ingest/funding", { json: { marketId: "ETH-PERP", rate: "0.999", markPrice: "1000000000", ts: ts() } }, "rate", /b-fund.*beyond/);
    expect(await h.db.prisma.fundingEvent.count()).toBe(0);
  });

  it("risk/evaluate and stress: a huge price, collateral or quantity is a 400, never a 200 with null figures", async () => {
    const scenario = (change: (s: { prices: Record<string, number>; accounts: { id: string; collateral: number; positions: { marketId: string; qty: number; entryPrice: number }[] }[] }) => void) => {
      const s = { markets: [BTC], prices: { "BTC-PERP": 60000 }, accounts: [{ id: "w1", collateral: 10000, positions: [{ marketId: "BTC-PERP", qty: 1, entryPrice: 60000 }] }] };
      change(s);
      return { json: s, as: "trader" as const };
    };
    await refused("POST /api/v1/risk/evaluate", scenario((s) => (s.prices["BTC-PERP"] = 1e300)), "prices.BTC-PERP", /between/);
    await refused("POST /api/v1/risk/evaluate", scenario((s) => (s.accounts[0]!.collateral = 1e300)), "accounts[0].collateral");
    await refused("POST /api/v1/risk/evaluate", scenario((s) => (s.accounts[0]!.positions[0]!.qty = 1e12)), "accounts[0].positions[0].qty");
    await refused("POST /api/v1/risk/evaluate", scenario((s) => (s.accounts[0]!.positions[0]!.entryPrice = 1e-30)), "accounts[0].positions[0].entryPrice");
    const market = (change: Partial<typeof BTC>) => ({ json: { markets: [{ ...BTC, ...change }], prices: { "BTC-PERP": 60000 }, accounts: [] }, as: "trader" as const });
    await refused("POST /api/v1/risk/evaluate", market({ liquidity: { halfSpreadBps: 2, depthPer1Pct: 1e-300 } }), "markets[0].liquidity.depthPer1Pct");
    await refused("POST /api/v1/risk/evaluate", market({ tiers: [{ maxNotional: null, mmr: 0.01, maxLeverage: 1e-300 }] }), "markets[0].tiers[0].maxLeverage");
    // At the bounds, every figure is a finite number.
    const edge = scenario((s) => {
      s.prices["BTC-PERP"] = 1e9;
      s.accounts[0] = { id: "w1", collateral: 1e18, positions: [{ marketId: "BTC-PERP", qty: -1e9, entryPrice: 1e-8 }] };
    });
    const res = await h.call("POST /api/v1/risk/evaluate", edge);
    expect(res.status).toBe(200);
    const [account] = (await res.json()).accounts;
    for (const key of ["equity", "maintenanceMargin", "initialMargin"]) expect(Number.isFinite(account[key]), key).toBe(true);
  });

  it("query parameters: limits, offsets and cursors out of range are a 400 naming them", async () => {
    const query = async (route: RouteName, q: string, path: string) => {
      const res = await h.call(route, { query: q });
      expect(res.status, `${route}${q}`).toBe(400);
      expect((await res.json()).error.fields.map((f: { path: string }) => f.path)).toContain(path);
    };
    await query("GET /api/v1/audit", "?before=99999999999999999999", "before");
    await query("GET /api/v1/audit", "?before=9223372036854775808", "before");
    await query("GET /api/v1/audit", "?limit=1e400", "limit");
    await query("GET /api/v1/accounts", "?offset=1e300", "offset");
    await query("GET /api/v1/accounts", "?limit=0", "limit");
    await query("GET /api/v1/accounts", "?minRatio=1e400", "minRatio");
    await query("GET /api/v1/liquidations/queue", "?offset=-1", "offset");
    await query("GET /api/v1/liquidations/events", "?limit=100000", "limit");
  });
});
