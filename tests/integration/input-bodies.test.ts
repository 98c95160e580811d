// Issue 15 items 8 and 9: a JSON endpoint takes only `Content-Type: application/json` (415
// otherwise), and its body limit (10 MiB here: ingest and what-ifs; the smaller limits of sign-in,
// top-ups and stress in body-limits.test.ts) is enforced while the body streams in: a chunked
// body without Content-Length, or one longer than its Content-Length says, is cut off at the limit
// with a 413, never read whole first.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bookState, startRouteHarness, type CallOptions, type RouteHarness, type RouteName } from "../support/route-harness";
import { BTC } from "../unit/risk/helpers/markets";

const LIMIT = 10 * 1024 * 1024;
const CHUNK = 64 * 1024;

/** A body of `total` bytes of one long JSON string, streamed in CHUNK-byte pieces; `pulled()` says how many were read. */
function streamedBody(total: number) {
  let sent = 0;
  const filler = new TextEncoder().encode("a".repeat(CHUNK));
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent === 0) {
        controller.enqueue(new TextEncoder().encode("{\"source\":\"big\",\"pad\":\""));
        sent = 1;
        return;
      }
      if (sent >= total) {
        controller.enqueue(new TextEncoder().encode("\"}"));
        controller.close();
        return;
      }
      controller.enqueue(filler);
      sent += CHUNK;
    },
  }, { highWaterMark: 0 });
  return { stream, pulled: () => sent };
}

describe("JSON bodies: media type and one streaming size limit", () => {
  let h: RouteHarness;
  beforeAll(async () => {
    h = await startRouteHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  const now = Date.now();
  const valid: [RouteName, CallOptions][] = [
    ["POST /api/v1/ingest/prices", { json: { source: "s", ticks: [{ marketId: "BTC-PERP", price: 60000, ts: now }] } }],
    ["POST /api/v1/ingest/positions", { json: { source: "v", updates: [{ accountId: "m1", marketId: "BTC-PERP", qty: 1, entryPrice: 60000, seq: 1 }] } }],
    ["POST /api/v1/ingest/collateral", { json: { entries: [{ accountId: "m1", amount: 5, kind: "deposit", idempotencyKey: "m-k" }] } }],
    ["POST /api/v1/ingest/funding", { json: { marketId: "BTC-PERP", rate: 0.0001, markPrice: 60000, ts: now } }],
    ["POST /api/v1/accounts/[id]/topups", { as: "trader", params: { id: "h-trader" }, json: { amount: "5", idempotencyKey: "m-t" } }],
    ["POST /api/v1/accounts/[id]/topups/preview", { as: "trader", params: { id: "h-trader" }, json: { amount: "5" } }],
    ["POST /api/v1/risk/evaluate", { json: { markets: [BTC], prices: { "BTC-PERP": 60000 }, accounts: [] } }],
    ["POST /api/v1/stress", { json: { shocks: { "BTC-PERP": -0.05 }, maxRounds: 1 } }],
    ["POST /api/auth/sign-in/email", { json: { email: "desk@h.test", password: "wrong-password" } }],
  ];

  it.each(valid)("%s answers 415 to a JSON body sent as text/plain, form data or no type, and changes nothing", async (route, opts) => {
    const before = await bookState(h);
    const text = JSON.stringify(opts.json);
    for (const type of ["text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded", "application/json; charset=latin1", "application/jsonx", null]) {
      const headers: Record<string, string> = type === null ? {} : { "content-type": type };
      const res = await h.call(route, { ...opts, json: undefined, body: type === null ? new Blob([text]) : text, headers });
      expect(res.status, `${route} with ${type}`).toBe(415);
      const body = await res.json();
      expect(body.error.code).toBe("unsupported_media_type");
      expect(body.error.message).toMatch(/application\/json/);
    }
    expect(await bookState(h)).toEqual(before);
  });

  it.each(valid)("%s takes application/json with a utf-8 charset", async (route, opts) => {
    const res = await h.call(route, { ...opts, json: undefined, body: JSON.stringify(opts.json), headers: { "content-type": "Application/JSON; charset=utf-8" } });
    // The sign-in's password is wrong on purpose: its body was read and judged (401), not refused.
    expect(res.status, route).toBe(route === "POST /api/auth/sign-in/email" ? 401 : route.endsWith("/topups") ? 201 : 200);
  });

  it.each(["POST /api/v1/ingest/positions", "POST /api/v1/risk/evaluate", "POST /api/v1/accounts/[id]/topups", "POST /api/auth/sign-in/email"] as RouteName[])(
    "%s: a chunked body without Content-Length is cut off at its limit (at most 10 MiB) with 413, the rest never read", async (route) => {
      const before = await bookState(h);
      const body = streamedBody(64 * 1024 * 1024);
      const res = await h.call(route, { params: { id: "h-trader" }, body: body.stream, headers: { "content-type": "application/json" } });
      expect(res.status).toBe(413);
      expect((await res.json()).error.code).toBe("payload_too_large");
      expect(body.pulled()).toBeLessThanOrEqual(LIMIT + 2 * CHUNK);
      expect(await bookState(h)).toEqual(before);
    });

  it("a Content-Length that understates the body does not get past the limit; one above it is refused before reading", async () => {
    const short = streamedBody(20 * 1024 * 1024);
    const lied = await h.call("POST /api/v1/ingest/prices", { body: short.stream, headers: { "content-type": "application/json", "content-length": "100" } });
    expect(lied.status).toBe(413);
    expect(short.pulled()).toBeLessThanOrEqual(LIMIT + 2 * CHUNK);
    const big = streamedBody(1024);
    const declared = await h.call("POST /api/v1/risk/evaluate", { body: big.stream, headers: { "content-type": "application/json", "content-length": String(LIMIT + 1) } });
    expect(declared.status).toBe(413);
    expect(big.pulled()).toBe(0);
  });

  it("a body just under the limit is read (and judged on its content)", async () => {
    const body = streamedBody(LIMIT - CHUNK);
    const res = await h.call("POST /api/v1/ingest/prices", { body: body.stream, headers: { "content-type": "application/json" } });
    expect(res.status).toBe(400);
    expect((await res.json()).error.fields[0].path).toBe("ticks");
  });
});
