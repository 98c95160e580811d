import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { toFieldErrors } from "@/lib/contracts/zod-issues";
import { deskStressRequestSchema, accountsQuerySchema } from "@/lib/contracts/desk";
import { safeParseRiskScenario } from "@/lib/contracts/risk-scenario";
import { safeParseStressRequest } from "@/lib/contracts/stress-request";
import { ingestFundingSchema } from "@/lib/contracts/ingest-funding";
import { clientEventPayloads } from "@/lib/contracts/socket-events";
import { auditQuerySchema } from "@/lib/server/audit-log";
import { alertListQuerySchema } from "@/lib/contracts/alerts";
import { accountSearchQuerySchema } from "@/lib/contracts/account-search";
import { webhookDeliveriesQuerySchema } from "@/lib/contracts/webhooks";
import { BTC } from "../risk/helpers/markets";

/** Paths of a zod failure as the API names them. */
const pathsOf = (result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  result.success ? [] : toFieldErrors(result.error!.issues).map((f) => f.path);

// JSON.parse (what every body goes through) makes "__proto__" an own key; zod's z.record skips it.
const body = (text: string): unknown => JSON.parse(text);
const btc = JSON.stringify(BTC);

describe("records keyed by market id refuse __proto__ (never dropped unseen)", () => {
  it("desk stress: shocks and depthPer1Pct", () => {
    const shocks = deskStressRequestSchema.safeParse(body('{"shocks":{"__proto__":0.5}}'));
    expect(pathsOf(shocks)).toEqual(["shocks.__proto__"]);
    expect(shocks.error!.issues[0]!.message).toMatch(/unknown market __proto__/);
    expect(pathsOf(deskStressRequestSchema.safeParse(body('{"shocks":{},"depthPer1Pct":{"__proto__":5}}')))).toEqual(["depthPer1Pct.__proto__"]);
    expect(deskStressRequestSchema.safeParse(body('{"shocks":{"BTC-PERP":-0.1},"depthPer1Pct":{"BTC-PERP":5}}')).success).toBe(true);
  });

  it("what-if evaluate (the worker's contract): prices", () => {
    const result = safeParseRiskScenario(body(`{"markets":[${btc}],"prices":{"BTC-PERP":60000,"__proto__":5},"accounts":[]}`));
    expect(result).toMatchObject({ success: false, fields: [{ path: "prices.__proto__", message: expect.stringMatching(/unknown market __proto__/) }] });
    expect(safeParseRiskScenario(body(`{"markets":[${btc}],"prices":{"BTC-PERP":60000},"accounts":[]}`)).success).toBe(true);
  });

  it("what-if stress: shocks and depthPer1Pct; constructor is an ordinary unknown market", () => {
    const base = `"markets":[${btc}],"prices":{"BTC-PERP":60000},"accounts":[]`;
    expect(safeParseStressRequest(body(`{${base},"shocks":{"__proto__":0.5}}`))).toMatchObject({ success: false, fields: [{ path: "shocks.__proto__" }] });
    expect(safeParseStressRequest(body(`{${base},"shocks":{},"depthPer1Pct":{"__proto__":5}}`))).toMatchObject({ success: false, fields: [{ path: "depthPer1Pct.__proto__" }] });
    expect(safeParseStressRequest(body(`{${base},"shocks":{"constructor":0.5}}`))).toMatchObject({ success: false, fields: [{ path: "shocks.constructor", message: "unknown market constructor" }] });
  });
});

describe("query schemas never throw", () => {
  it("audit: a before that is not a whole number is a 400 naming before, not a BigInt SyntaxError", () => {
    for (const before of ["abc", "1.5", "1e3", "-1", "", " 1", "99999999999999999999", "9223372036854775808"]) {
      const result = auditQuerySchema.safeParse({ before });
      expect(pathsOf(result), before).toEqual(["before"]);
    }
    expect(auditQuerySchema.safeParse({ before: "9223372036854775807" }).success).toBe(true);
  });

  // Query parameters arrive as strings (or arrays of them when repeated): any of them, in any key.
  const paramValue = fc.oneof(fc.string(), fc.string({ unit: "binary" }), fc.array(fc.string(), { maxLength: 3 }), fc.constantFrom("1e3", "1.5", "-0", "Infinity", "NaN", "0x10", "9".repeat(30)));
  const schemas = { audit: auditQuerySchema, accounts: accountsQuerySchema, alerts: alertListQuerySchema, search: accountSearchQuerySchema, deliveries: webhookDeliveriesQuerySchema };
  for (const [name, schema] of Object.entries(schemas)) {
    it(`${name}: random strings in every field give success or issues`, () => {
      const keys = [...schema.parameters];
      fc.assert(
        fc.property(fc.dictionary(fc.constantFrom(...keys), paramValue), (query) => {
          const result = schema.safeParse(query);
          expect(typeof result.success).toBe("boolean");
        }),
        { numRuns: 500 },
      );
    });
  }
});

describe("query parameters", () => {
  it("a parameter the endpoint does not take is refused by its name (a misspelt filter never answers unfiltered)", () => {
    expect(accountsQuerySchema.safeParse({ stauts: "bankrupt" }).error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["stauts", "is not a parameter of this endpoint (it takes status, market, minRatio, sort, q, offset, limit)"],
    ]);
    expect(pathsOf(alertListQuerySchema.safeParse({ severty: "critical", state: "open" }))).toEqual(["severty"]);
    expect(pathsOf(auditQuerySchema.safeParse({ accountId: "a", limt: "5" }))).toEqual(["limt"]);
    expect(alertListQuerySchema.safeParse({ state: "open", limit: "5" }).success).toBe(true);
  });

  it("a number as written: 'got \"abc\"', never 'got NaN'; an empty minRatio is refused, not read as 0", () => {
    const messages = (r: { error?: { issues: { message: string }[] } }) => r.error?.issues.map((i) => i.message);
    expect(messages(alertListQuerySchema.safeParse({ limit: "abc" }))).toEqual(['must be a whole number (got "abc")']);
    expect(messages(webhookDeliveriesQuerySchema.safeParse({ limit: "1.5" }))).toEqual(['must be a whole number (got "1.5")']);
    expect(messages(accountsQuerySchema.safeParse({ limit: "0" }))).toEqual(["must be at least 1 (got 0)"]);
    expect(messages(accountsQuerySchema.safeParse({ minRatio: "" }))).toEqual(['must be a number (got "")']);
    expect(messages(accountsQuerySchema.safeParse({ minRatio: ["1", "2"] }))).toEqual(["must be a number (got an array)"]);
    expect(accountsQuerySchema.parse({ minRatio: ".9", offset: "20" })).toMatchObject({ minRatio: 0.9, offset: 20, limit: 100 });
  });
});

describe("funding rate", () => {
  const event = (rate: unknown) => ({ marketId: "BTC-PERP", rate, markPrice: 60000, ts: 1 });
  it("refuses 0 (also an underflowing 1e-400) and |rate| below 1e-12, naming rate", () => {
    for (const rate of [body("1e-400"), 0, "0", "-0.000", 1e-13, "-0.0000000000001"]) {
      expect(pathsOf(ingestFundingSchema.safeParse(event(rate))), String(rate)).toEqual(["rate"]);
    }
    for (const rate of [1e-12, "-0.000000000001", 0.0001, -0.99]) expect(ingestFundingSchema.safeParse(event(rate)).success, String(rate)).toBe(true);
  });
});

describe("socket payloads use the API's text rule", () => {
  it("account:watch refuses a lone surrogate and a NUL (400), takes any other text", () => {
    for (const id of ["\uD800", "a\uDC00b", "a\u0000"]) {
      const result = clientEventPayloads["account:watch"].safeParse([id]);
      expect(pathsOf(result), JSON.stringify(id)).toContain("[0]");
    }
    expect(clientEventPayloads["account:unwatch"].safeParse(["\uD800"]).success).toBe(false);
    expect(clientEventPayloads["account:watch"].safeParse(["p-😀-é"]).success).toBe(true);
  });
});
