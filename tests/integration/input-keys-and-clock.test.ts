// Issue 15, a probe of the merged code: a query cursor that made zod throw (500), record keys that
// zod drops (`__proto__`), funding rates that parse to 0 and funding events dated far ahead. Each
// is a 400 naming the field with nothing changed; a payment that rounds to 0 writes no entry.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectRefused, startRouteHarness, type CallOptions, type RouteHarness, type RouteName } from "../support/route-harness";
import { BTC } from "../unit/risk/helpers/markets";

describe("keys, cursors, funding rates and times a probe sent", () => {
  let h: RouteHarness;
  beforeAll(async () => {
    h = await startRouteHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  /** A body sent as written: JSON.stringify cannot write an own "__proto__" key or 1e-400. */
  const raw = (text: string, as?: CallOptions["as"]): CallOptions => ({ body: text, headers: { "content-type": "application/json" }, ...(as ? { as } : {}) });

  const refused = (route: RouteName, opts: CallOptions, path: string, message?: RegExp) => expectRefused(h, route, opts, path, message);

  it("audit: a before that is not a whole number is a 400 naming before (was a 500 from BigInt)", async () => {
    for (const before of ["abc", "1.5", "1e3"]) {
      const res = await h.call("GET /api/v1/audit", { query: `?before=${before}` });
      const body = await res.json();
      expect(res.status, `${before}: ${JSON.stringify(body)}`).toBe(400);
      expect(body.error.fields.map((f: { path: string }) => f.path)).toEqual(["before"]);
    }
    expect((await h.call("GET /api/v1/audit", { query: "?before=5" })).status).toBe(200);
  });

  it("stress: a __proto__ shock or depth override is an unknown market, not a run with no shock", async () => {
    await refused("POST /api/v1/stress", raw('{"shocks":{"__proto__":0.5}}'), "shocks.__proto__", /unknown market/);
    await refused("POST /api/v1/stress", raw('{"shocks":{},"depthPer1Pct":{"__proto__":5}}'), "depthPer1Pct.__proto__", /unknown market/);
    await refused("POST /api/v1/stress", raw('{"shocks":{"constructor":0.5}}'), "shocks.constructor", /unknown market/);
  });

  it("what-if evaluate (parsed in the worker): a __proto__ price is an unknown market", async () => {
    const scenario = `{"markets":[${JSON.stringify(BTC)}],"prices":{"BTC-PERP":60000,"__proto__":5},"accounts":[]}`;
    await refused("POST /api/v1/risk/evaluate", raw(scenario, "trader"), "prices.__proto__", /unknown market/);
  });

  const event = (rate: string, ts: number, markPrice = "60000") => raw(`{"marketId":"BTC-PERP","rate":${rate},"markPrice":${markPrice},"ts":${ts}}`);

  it("funding: a rate of 0 (or one that underflows to 0) or below 1e-12 is a 400 naming rate", async () => {
    const now = Date.now();
    await refused("POST /api/v1/ingest/funding", event("1e-400", now), "rate", /must not be 0/);
    await refused("POST /api/v1/ingest/funding", event("0", now), "rate", /must not be 0/);
    await refused("POST /api/v1/ingest/funding", event("1e-13", now), "rate", /at least 0\.000000000001/);
    expect(await h.db.prisma.fundingEvent.count()).toBe(0);
  });

  it("funding: an event dated more than maxClockSkewMs ahead of the server's clock is a 400 naming ts", async () => {
    await refused("POST /api/v1/ingest/funding", event("0.0001", 8639999999999999), "ts", /ahead of the server's clock/);
    await refused("POST /api/v1/ingest/funding", event("0.0001", Date.now() + 60_000), "ts", /maxClockSkewMs \(5000 ms\)/);
    expect(await h.db.prisma.fundingEvent.count()).toBe(0);
  });

  it("funding: a payment that rounds to 0 at 18 decimals writes no ledger entry", async () => {
    const ledger = await h.db.prisma.collateralLedgerEntry.count();
    // The trader's 1 BTC × 0.00000001 USD × 1e-12 = 1e-20 USD: 0 at the ledger's 18 decimals.
    const res = await h.call("POST /api/v1/ingest/funding", event("1e-12", Date.now(), "0.00000001"));
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body).toMatchObject({ applied: true, entries: 0 });
    expect(await h.db.prisma.collateralLedgerEntry.count()).toBe(ledger);
    // A payment that does not round to 0 is written.
    const paid = await h.call("POST /api/v1/ingest/funding", event("0.0001", Date.now() + 1, "60000"));
    expect(await paid.json()).toMatchObject({ applied: true, entries: 1 });
    const [entry] = await h.db.prisma.collateralLedgerEntry.findMany({ where: { kind: "funding" } });
    expect(entry?.amount.toFixed()).toBe("-6");
  });
});
