// Issue 15 (bodies): each JSON endpoint takes a body no larger than its own limit (BODY_LIMITS,
// lib/server/http/body-limits.ts), counted while it streams in, and no body nested deeper than
// MAX_JSON_DEPTH levels reaches JSON.parse (whose time grows far faster with nesting than with
// size): an unauthenticated sign-in, a top-up or a feed's batch cannot hold the main thread.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BODY_LIMITS } from "@/lib/server/http/body-limits";
import { MAX_JSON_DEPTH } from "@/lib/contracts/json-depth";
import { bookState, startRouteHarness, type CallOptions, type RouteHarness, type RouteName } from "../support/route-harness";

const CHUNK = 4 * 1024;
const encoder = new TextEncoder();

/** `{"pad":"aaaa…"}` of about `total` bytes, streamed in CHUNK-byte pieces; `pulled()` says how many bytes were read. */
function streamedBody(total: number) {
  let sent = 0;
  const filler = encoder.encode("a".repeat(CHUNK));
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent === 0) {
        controller.enqueue(encoder.encode("{\"pad\":\""));
        sent = 8;
      } else if (sent >= total) {
        controller.enqueue(encoder.encode("\"}"));
        controller.close();
      } else {
        controller.enqueue(filler);
        sent += CHUNK;
      }
    },
  }, { highWaterMark: 0 });
  return { stream, pulled: () => sent };
}

/** `prefix` + `depth` brackets + `inner` + the closing brackets + `suffix`: valid JSON nested `depth` levels below the prefix's. */
function nested(depth: number, prefix = "", suffix = "", inner = "1"): string {
  return prefix + "[".repeat(depth) + inner + "]".repeat(depth) + suffix;
}

describe("JSON bodies: a limit per route, and a nesting limit before parsing", () => {
  let h: RouteHarness;
  beforeAll(async () => {
    h = await startRouteHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  const small: [RouteName, number, string, CallOptions][] = [
    ["POST /api/auth/sign-in/email", BODY_LIMITS.auth, "16 KiB", {}],
    ["POST /api/v1/accounts/[id]/topups", BODY_LIMITS.topUp, "64 KiB", { as: "trader", params: { id: "h-trader" } }],
    ["POST /api/v1/accounts/[id]/topups/preview", BODY_LIMITS.topUp, "64 KiB", { as: "trader", params: { id: "h-trader" } }],
    ["POST /api/v1/stress", BODY_LIMITS.stress, "64 KiB", {}],
  ];

  it.each(small)("%s: a chunked body past its limit (%i bytes) is refused with 413 naming it, the rest never read", async (route, limit, named, opts) => {
    const before = await bookState(h);
    const total = route.includes("sign-in") ? 100 * 1024 : 1024 * 1024;
    const body = streamedBody(total);
    const res = await h.call(route, { ...opts, body: body.stream, headers: { "content-type": "application/json" } });
    expect(res.status).toBe(413);
    const error = (await res.json()).error;
    expect(error.code).toBe("payload_too_large");
    expect(error.message).toContain(named);
    expect(error.message).toContain(String(limit));
    expect(body.pulled()).toBeLessThanOrEqual(limit + 2 * CHUNK);
    expect(await bookState(h)).toEqual(before);
  });

  it.each(small)("%s: a declared Content-Length past its limit is refused before a byte is read", async (route, limit, _named, opts) => {
    const body = streamedBody(1024);
    const res = await h.call(route, { ...opts, body: body.stream, headers: { "content-type": "application/json", "content-length": String(limit + 1) } });
    expect(res.status).toBe(413);
    expect(body.pulled()).toBe(0);
  });

  it("a sign-in just under its limit is read and judged (401 for a wrong password)", async () => {
    const text = JSON.stringify({ email: "desk@h.test", password: "wrong-password" });
    const res = await h.call("POST /api/auth/sign-in/email", { body: text.slice(0, -1) + " ".repeat(BODY_LIMITS.auth - text.length) + "}", headers: { "content-type": "application/json" } });
    expect(res.status).toBe(401);
  });

  it("an ingest batch of nearly 10 MiB, flat, is still accepted", async () => {
    const tick = JSON.stringify({ marketId: "BTC-PERP", price: 60123, ts: Date.now() });
    const head = "{\"source\":\"big-flat\",\"ticks\":[";
    const text = head + " ".repeat(BODY_LIMITS.batch - head.length - tick.length - 2 - 64) + tick + "]}";
    expect(text.length).toBeGreaterThan(BODY_LIMITS.batch - 100);
    const res = await h.call("POST /api/v1/ingest/prices", { body: text, headers: { "content-type": "application/json" } });
    expect(res.status).toBe(200);
    const stored = await h.db.prisma.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM latest_prices WHERE source = 'big-flat'`;
    expect(Number(stored[0]!.n)).toBe(1);
  });

  const deep: [RouteName, string, string, CallOptions][] = [
    ["POST /api/v1/ingest/prices", "{\"source\":\"s\",\"ticks\":", "}", {}],
    ["POST /api/v1/ingest/positions", "{\"source\":\"s\",\"updates\":", "}", {}],
    ["POST /api/v1/ingest/collateral", "{\"entries\":", "}", {}],
    ["POST /api/v1/ingest/funding", "{\"marketId\":", "}", {}],
    ["POST /api/v1/risk/evaluate", "{\"markets\":", "}", {}],
  ];

  it.each(deep)("%s: a body nested a million levels deep is a 400 at (body), nothing changed", async (route, prefix, suffix, opts) => {
    const before = await bookState(h);
    const res = await h.call(route, { ...opts, body: nested(1024 * 1024, prefix, suffix), headers: { "content-type": "application/json" } });
    expect(res.status).toBe(400);
    const error = (await res.json()).error;
    expect(error.fields).toEqual([{ path: "(body)", message: `body is nested deeper than ${MAX_JSON_DEPTH} levels (arrays and objects)` }]);
    expect(await bookState(h)).toEqual(before);
  });

  it.each(small)("%s: a body nested past the limit within its size limit is a 400 at (body)", async (route, limit, _named, opts) => {
    const res = await h.call(route, { ...opts, body: nested(limit / 4, "{\"a\":", "}"), headers: { "content-type": "application/json" } });
    expect(res.status).toBe(400);
    expect((await res.json()).error.fields[0].path).toBe("(body)");
  });

  it("nesting up to the limit, and brackets inside strings however many, are judged on their content", async () => {
    // 64 levels: the body object and 63 arrays; refused by the batch contract, not by the nesting guard.
    const at = await h.call("POST /api/v1/ingest/prices", { body: nested(MAX_JSON_DEPTH - 1, "{\"source\":\"s\",\"ticks\":", "}"), headers: { "content-type": "application/json" } });
    expect(at.status).toBe(400);
    expect((await at.json()).error.fields[0].path).not.toBe("(body)");
    const quoted = JSON.stringify({ source: "[".repeat(200) + "\\\"{{{", ticks: [{ marketId: "BTC-PERP", price: 60000, ts: Date.now() }] });
    const res = await h.call("POST /api/v1/ingest/prices", { body: quoted, headers: { "content-type": "application/json" } });
    expect(res.status).toBe(400);
    expect((await res.json()).error.fields[0].path).toBe("source");
  });
});
