// Issue 15: a property-based fuzz of every ingest endpoint over real PostgreSQL and the live
// engine. Random batches holding at least one bad item among good ones (bad numbers, strings with
// a NUL or a lone surrogate, wrong types, missing fields, out-of-range values), and bodies that are
// wrong as a whole (not an object, too many items, oversized, not UTF-8, not JSON, wrong media
// type), must each answer 4xx with the API's error shape and change nothing: the row counts and
// sums of every table a write touches, and the engine's book and marks, are as before.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bookState, startRouteHarness, type RouteHarness, type RouteName } from "../support/route-harness";

/** Values no number field of any ingest contract takes. */
const BAD_NUMBERS: unknown[] = [
  null, true, {}, [], "", " ", "abc", "NaN", "Infinity", "-Infinity", "1e400", "0x10", "1,5", "1.0000000000000000001",
  "99999999999999999999999", 1e300, -1e300, "1234567890123456789012345678901234567890",
];
/** Values no price takes (prices are JSON numbers in [1e-8, 1e9] with at most 18 decimals). */
const BAD_PRICES: unknown[] = [...BAD_NUMBERS, 0, -1, 1e-30, 1e-9, 1e10, "60000", 1.2345678901234e-8];
/** Values no sequence number or timestamp takes. */
const BAD_SEQS: unknown[] = [null, true, {}, [], "", "abc", -1, 1.5, "-1", "1e3", 2 ** 53, "9223372036854775808", "99999999999999999999"];
const BAD_TS: unknown[] = [null, true, {}, [], "", "yesterday", -1, 1.5, "2026-01-01", 8.64e15 + 1, 1e300, "2026-13-01T00:00:00Z"];
/** Values no id, source or key takes. */
const BAD_STRINGS: unknown[] = ["", "\u0000", "a\u0000b", "\ud800", "x\udc00y", "x".repeat(300), 5, null, true, [], {}];

type Item = Record<string, unknown>;
interface Endpoint {
  route: RouteName;
  /** A valid item (or, for funding, the whole valid body). */
  good: fc.Arbitrary<Item>;
  /** Each field's bad values (a field missing is bad too, unless listed in `optional`). */
  bad: Record<string, unknown[]>;
  optional?: string[];
  /** The body around a list of items; undefined: the item is the body. */
  wrap?: (items: Item[]) => Item;
  listKey?: string;
}

const now = Date.now();
const lots = fc.integer({ min: -5000, max: 5000 }).map((n) => (n / 1000).toString());
const ENDPOINTS: Endpoint[] = [
  {
    route: "POST /api/v1/ingest/prices",
    good: fc.record({
      marketId: fc.constantFrom("BTC-PERP", "ETH-PERP"),
      price: fc.integer({ min: 100_000, max: 10_000_000 }).map((c) => c / 100),
      ts: fc.integer({ min: now, max: now + 60_000 }),
    }),
    bad: { marketId: [...BAD_STRINGS, "NOPE-PERP"], price: BAD_PRICES, ts: BAD_TS },
    wrap: (ticks) => ({ source: "fuzz", ticks }),
    listKey: "ticks",
  },
  {
    route: "POST /api/v1/ingest/positions",
    good: fc.record({
      accountId: fc.integer({ min: 1, max: 20 }).map((n) => `fz-${n}`),
      marketId: fc.constant("BTC-PERP"),
      qty: lots,
      entryPrice: fc.constantFrom("60000", 59000.5, "61000.25"),
      seq: fc.integer({ min: 1, max: 1_000_000 }),
    }),
    bad: { accountId: BAD_STRINGS, marketId: [...BAD_STRINGS, "NOPE-PERP"], qty: [...BAD_NUMBERS, "0.0005", "10000000000"], entryPrice: [...BAD_NUMBERS, "-1", "1e-30", "0.000000001"], seq: BAD_SEQS },
    wrap: (updates) => ({ source: "fuzz", updates }),
    listKey: "updates",
  },
  {
    route: "POST /api/v1/ingest/collateral",
    good: fc.record({
      accountId: fc.integer({ min: 1, max: 20 }).map((n) => `fz-${n}`),
      amount: fc.integer({ min: 1, max: 1_000_000 }).map((c) => (c / 100).toString()),
      kind: fc.constant("deposit"),
      idempotencyKey: fc.uuid(),
      note: fc.option(fc.string({ maxLength: 20 }).map((s) => s.replace(/[\u0000\ud800-\udfff]/g, "")), { nil: undefined }),
    }),
    bad: { accountId: BAD_STRINGS, amount: [...BAD_NUMBERS, "0", "-5", "1000000000000001"], kind: ["bonus", "", null, 1, "topup", "funding"], idempotencyKey: BAD_STRINGS, note: ["\u0000", "\ud800", "x".repeat(501), 5, null, []] },
    optional: ["note"],
    wrap: (entries) => ({ entries }),
    listKey: "entries",
  },
  {
    route: "POST /api/v1/ingest/funding",
    good: fc.record({
      marketId: fc.constantFrom("BTC-PERP", "ETH-PERP"),
      rate: fc.integer({ min: 1, max: 100 }).chain((n) => fc.constantFrom(n, -n)).map((n) => (n / 100_000).toString()),
      markPrice: fc.constantFrom("60000", "3000", 60000.5),
      ts: fc.integer({ min: now - 60_000, max: now }),
    }),
    bad: {
      marketId: [...BAD_STRINGS, "NOPE-PERP"],
      rate: [...BAD_NUMBERS, "1", "-1", "2", "0", 0, "0.0000000000001", -1e-13],
      markPrice: [...BAD_PRICES, "0", "-5"],
      ts: [...BAD_TS, now + 3_600_000, 8_639_999_999_999_999],
    },
  },
];

/** One item made bad: a field given a bad value, or a required field removed, or an extra wrong shape. */
function corrupt(endpoint: Endpoint): fc.Arbitrary<Item | unknown> {
  const fields = Object.keys(endpoint.bad);
  const badValue = fc.constantFrom(...fields).chain((field) =>
    fc.tuple(endpoint.good, fc.constantFrom(...endpoint.bad[field]!)).map(([item, value]) => ({ ...item, [field]: value })));
  const required = fields.filter((f) => !endpoint.optional?.includes(f));
  const missing = fc.tuple(endpoint.good, fc.constantFrom(...required)).map(([item, field]) => {
    const copy = { ...item };
    delete copy[field];
    return copy;
  });
  const wrongShape = fc.constantFrom<unknown>(null, 5, "item", [], true);
  return fc.oneof({ arbitrary: badValue, weight: 6 }, { arbitrary: missing, weight: 2 }, { arbitrary: wrongShape, weight: 1 });
}

interface Attempt {
  body: string | Uint8Array;
  contentType: string;
  /** What it must answer. */
  status: number[];
}

function attempts(endpoint: Endpoint): fc.Arbitrary<Attempt> {
  const json = (value: unknown): Attempt => ({ body: JSON.stringify(value), contentType: "application/json", status: [400] });
  let batches: fc.Arbitrary<Attempt>;
  if (endpoint.wrap) {
    const wrap = endpoint.wrap;
    batches = fc.tuple(fc.array(endpoint.good, { maxLength: 6 }), corrupt(endpoint), fc.nat()).map(([good, bad, at]) => {
      const items: unknown[] = [...good];
      items.splice(at % (good.length + 1), 0, bad);
      return json(wrap(items as Item[]));
    });
  } else {
    batches = corrupt(endpoint).map(json);
  }
  const wrongWhole = fc.oneof(
    fc.constantFrom<unknown>(null, [], "batch", 42, {}).map(json),
    endpoint.wrap && endpoint.listKey
      ? fc.constantFrom<unknown>(null, "x", 5, {}, []).map((list) => json({ ...endpoint.wrap!([]), [endpoint.listKey!]: list }))
      : fc.constant(json({})),
    fc.constant<Attempt>({ body: "{\"source\": \"fuzz\", ", contentType: "application/json", status: [400] }),
    fc.constant<Attempt>({ body: Uint8Array.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]), contentType: "application/json", status: [400] }),
    endpoint.good.map((item): Attempt => ({ ...json(endpoint.wrap ? endpoint.wrap([item]) : item), contentType: "text/plain", status: [415] })),
  );
  return fc.oneof({ arbitrary: batches, weight: 8 }, { arbitrary: wrongWhole, weight: 2 });
}

describe("ingest fuzz: random bad batches answer 4xx and change nothing", () => {
  let h: RouteHarness;
  let baseline: unknown;
  beforeAll(async () => {
    h = await startRouteHarness();
    baseline = await bookState(h);
  });
  afterAll(async () => {
    await h?.stop();
  });

  async function send(route: RouteName, attempt: Attempt) {
    const res = await h.call(route, { body: attempt.body as BodyInit, headers: { "content-type": attempt.contentType } });
    const body = await res.json();
    expect(attempt.status, `${route} ${res.status} ${JSON.stringify(body).slice(0, 300)} for ${String(attempt.body).slice(0, 300)}`).toContain(res.status);
    expect(typeof body.error?.code).toBe("string");
    if (res.status === 400) expect(body.error.fields.length).toBeGreaterThan(0);
  }

  it.each(ENDPOINTS.map((e) => [e.route, e] as const))("%s", async (route, endpoint) => {
    await fc.assert(
      fc.asyncProperty(attempts(endpoint), async (attempt) => {
        await send(route, attempt);
        expect(await bookState(h)).toEqual(baseline);
      }),
      { numRuns: 150, seed: Number(process.env.FUZZ_SEED ?? 20261207) },
    );
  }, 120_000);

  it.each(ENDPOINTS.filter((e) => e.wrap).map((e) => [e.route, e] as const))("%s: more items than a batch holds, and a body past 10 MiB", async (route, endpoint) => {
    const item = fc.sample(endpoint.good, { numRuns: 1, seed: 1 })[0]!;
    await send(route, { body: JSON.stringify(endpoint.wrap!(Array.from({ length: 10_001 }, () => item))), contentType: "application/json", status: [400] });
    await send(route, { body: JSON.stringify({ ...endpoint.wrap!([item]), pad: "x".repeat(10 * 1024 * 1024) }), contentType: "application/json", status: [413] });
    expect(await bookState(h)).toEqual(baseline);
  }, 60_000);
});
