import { describe, expect, it } from "vitest";
import { InputError } from "@/lib/contracts/api-error";
import { parseRiskScenario, safeParseRiskScenario } from "@/lib/contracts/risk-scenario";
import { safeParseStressRequest } from "@/lib/contracts/stress-request";
import { evaluateScenario, RiskInputError, validateMarket, type RiskScenario } from "@/lib/risk";
import { BTC, ETH, withChanges } from "./helpers/markets";

const base: RiskScenario = {
  markets: [BTC, ETH],
  prices: { "BTC-PERP": 60000, "ETH-PERP": 3000 },
  accounts: [
    { id: "a0", collateral: 1000, positions: [] },
    { id: "a1", collateral: 1000, positions: [{ marketId: "ETH-PERP", qty: -2.5, entryPrice: 3000 }] },
    { id: "a2", collateral: 1000, positions: [{ marketId: "BTC-PERP", qty: 0.5, entryPrice: 60000 }] },
  ],
};

type Mutable = { -readonly [K in keyof RiskScenario]: any }; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The `{path, message}` list a changed scenario is rejected with (none when it is accepted). */
function fieldsOf(change: (s: Mutable) => void): { path: string; message: string }[] {
  const input = withChanges(base as Mutable, change);
  const result = safeParseRiskScenario(input);
  return result.success ? [] : result.fields;
}

function expectRejected(change: (s: Mutable) => void, path: string, message: RegExp) {
  const fields = fieldsOf(change);
  expect(fields, JSON.stringify(fields)).toContainEqual({ path, message: expect.stringMatching(message) });
}

describe("invalid input is rejected with the field named", () => {
  it("accepts the base scenario", () => {
    expect(fieldsOf(() => {})).toEqual([]);
  });

  it("a quantity that is not a whole number of lots", () => {
    const fields = fieldsOf((s) => (s.accounts[2].positions[0].qty = 0.0015));
    expect(fields).toEqual([{ path: "accounts[2].positions[0].qty", message: "0.0015 is not a whole number of lots (lotSize 0.001)" }]);
    expectRejected((s) => (s.accounts[1].positions[0].qty = -2.505), "accounts[1].positions[0].qty", /not a whole number of lots \(lotSize 0\.01\)/);
    // Whole lots written with a float artefact are not the decimal n × lotSize either.
    expectRejected((s) => (s.accounts[1].positions[0].qty = 14.290000000000001), "accounts[1].positions[0].qty", /not a whole number/);
  });

  it("accepts whole lots of a lot size that is not a power of ten", () => {
    const scenario = withChanges(base as Mutable, (s) => {
      s.markets[1].lotSize = 0.25;
      s.accounts[1].positions[0].qty = -2.75;
    });
    expect(safeParseRiskScenario(scenario).success).toBe(true);
    expectRejected((s) => {
      s.markets[1].lotSize = 0.25;
      s.accounts[1].positions[0].qty = -2.6;
    }, "accounts[1].positions[0].qty", /not a whole number of lots \(lotSize 0\.25\)/);
  });

  it("an unknown market, in a position, in prices or in shocks", () => {
    expectRejected((s) => (s.accounts[2].positions[0].marketId = "DOGE-PERP"), "accounts[2].positions[0].marketId", /unknown market DOGE-PERP/);
    expectRejected((s) => (s.prices["DOGE-PERP"] = 1), "prices.DOGE-PERP", /unknown market/);
    const stress = safeParseStressRequest({ ...base, shocks: { "DOGE-PERP": -0.1 } });
    expect(stress.success ? [] : stress.fields).toContainEqual({ path: "shocks.DOGE-PERP", message: expect.stringMatching(/unknown market/) });
  });

  it("a position in a market without a price", () => {
    expectRejected((s) => delete s.prices["ETH-PERP"], "accounts[1].positions[0].marketId", /no price for market ETH-PERP/);
  });

  it("non-finite numbers (JSON's 1e999 parses as Infinity)", () => {
    const input = JSON.parse(JSON.stringify(base).replace('"collateral":1000', '"collateral":1e999'));
    const result = safeParseRiskScenario(input);
    expect(result.success ? [] : result.fields).toContainEqual({ path: "accounts[0].collateral", message: "must be a finite number (got Infinity)" });
    expectRejected((s) => (s.prices["BTC-PERP"] = Number.NaN), "prices.BTC-PERP", /finite number/);
    expectRejected((s) => (s.markets[0].tiers[1].mmr = Infinity), "markets[0].tiers[1].mmr", /finite number/);
  });

  it("negative numbers", () => {
    expectRejected((s) => (s.accounts[2].positions[0].entryPrice = -5), "accounts[2].positions[0].entryPrice", /must be > 0/);
    expectRejected((s) => (s.markets[0].liquidationFeeRate = -0.001), "markets[0].liquidationFeeRate", /rate in \[0, 1\)/);
    expectRejected((s) => (s.markets[0].tiers[0].mmr = -0.004), "markets[0].tiers[0].mmr", /rate in \[0, 1\)/);
    expectRejected((s) => (s.markets[0].liquidity.halfSpreadBps = -1), "markets[0].liquidity.halfSpreadBps", /\[0, 10000\)/);
    expectRejected((s) => (s.params = { targetBuffer: -0.1 }), "params.targetBuffer", />= 0/);
  });

  it("a non-positive price", () => {
    expectRejected((s) => (s.prices["BTC-PERP"] = 0), "prices.BTC-PERP", /must be > 0/);
  });

  it("unsorted tiers", () => {
    expectRejected(
      (s) => (s.markets[0].tiers[2].maxNotional = 200000),
      "markets[0].tiers[2].maxNotional",
      /sorted by maxNotional ascending: 200000 comes after 250000/,
    );
    expectRejected((s) => (s.markets[0].tiers[1].maxNotional = 50000), "markets[0].tiers[1].maxNotional", /sorted/);
    expectRejected((s) => (s.markets[0].tiers[1].maxNotional = null), "markets[0].tiers[1].maxNotional", /only the last tier may be unbounded/);
  });

  it("an mmr that decreases", () => {
    expectRejected((s) => (s.markets[0].tiers[2].mmr = 0.0045), "markets[0].tiers[2].mmr", /must not decrease/);
  });

  it("a rate at or above 1", () => {
    expectRejected((s) => (s.markets[0].tiers[3].mmr = 1), "markets[0].tiers[3].mmr", /rate in \[0, 1\)/);
    expectRejected((s) => (s.markets[0].liquidity.halfSpreadBps = 10000), "markets[0].liquidity.halfSpreadBps", /\[0, 10000\)/);
  });

  it("a fee at or above the first tier's MMR", () => {
    expectRejected((s) => (s.markets[0].liquidationFeeRate = 0.004), "markets[0].liquidationFeeRate", /below the first tier's mmr \(0\.004\)/);
    expectRejected((s) => (s.markets[0].liquidationFeeRate = 0.01), "markets[0].liquidationFeeRate", /below the first tier's mmr/);
    expect(fieldsOf((s) => (s.markets[0].liquidationFeeRate = 0.0039))).toEqual([]);
  });

  it.each(["lotSize", "tickSize"])("a %s at or below zero", (field) => {
    expectRejected((s) => (s.markets[0][field] = 0), `markets[0].${field}`, /must be > 0/);
    expectRejected((s) => (s.markets[0][field] = -0.1), `markets[0].${field}`, /must be > 0/);
  });

  it("a depthPer1Pct at or below zero, a maxNotional or maxLeverage at or below zero, no tiers", () => {
    expectRejected((s) => (s.markets[1].liquidity.depthPer1Pct = 0), "markets[1].liquidity.depthPer1Pct", /must be > 0/);
    expectRejected((s) => (s.markets[1].tiers[0].maxNotional = 0), "markets[1].tiers[0].maxNotional", /must be > 0/);
    expectRejected((s) => (s.markets[1].tiers[0].maxLeverage = 0), "markets[1].tiers[0].maxLeverage", /must be > 0/);
    expectRejected((s) => (s.markets[1].tiers = []), "markets[1].tiers", /at least one tier/);
  });

  it("duplicates: market ids, account ids, two positions in one market", () => {
    expectRejected((s) => s.markets.push(structuredClone(BTC)), "markets[2].id", /duplicate market id BTC-PERP/);
    expectRejected((s) => (s.accounts[1].id = "a0"), "accounts[1].id", /duplicate account id a0/);
    expectRejected(
      (s) => s.accounts[2].positions.push({ marketId: "BTC-PERP", qty: 1, entryPrice: 1 }),
      "accounts[2].positions[1].marketId",
      /second position in market BTC-PERP/,
    );
  });

  it("parameters out of range or misspelt", () => {
    expectRejected((s) => (s.params = { maxStepFraction: 0 }), "params.maxStepFraction", /\(0, 1\]/);
    expectRejected((s) => (s.params = { backstopFraction: 1.5 }), "params.backstopFraction", /\[0, 1\]/);
    expectRejected((s) => (s.params = { targetBufer: 0.1 }), "params.targetBufer", /unknown parameter/);
  });

  it("wrong types and missing fields, by path", () => {
    expectRejected((s) => (s.accounts[1].positions[0].qty = "1"), "accounts[1].positions[0].qty", /must be a finite number \(got "1"\)/);
    expectRejected((s) => delete s.accounts[0].collateral, "accounts[0].collateral", /is required/);
    expect(safeParseRiskScenario([]).success).toBe(false);
  });

  it("reports every bad field at once", () => {
    const fields = fieldsOf((s) => {
      s.accounts[2].positions[0].qty = 0.0015;
      s.markets[1].liquidationFeeRate = 0.5;
      s.accounts[1].positions[0].entryPrice = -3;
    });
    expect(fields.map((f) => f.path).sort()).toEqual(["accounts[1].positions[0].entryPrice", "accounts[2].positions[0].qty", "markets[1].liquidationFeeRate"]);
  });

  it("parseRiskScenario throws an InputError; the model itself refuses invalid input too", () => {
    const bad = withChanges(base as Mutable, (s) => (s.accounts[2].positions[0].qty = 0.0015));
    expect(() => parseRiskScenario(bad)).toThrow(InputError);
    expect(() => evaluateScenario(bad)).toThrow(RiskInputError);
    expect(() => evaluateScenario(bad)).toThrow("accounts[2].positions[0].qty: 0.0015 is not a whole number of lots (lotSize 0.001)");
  });

  it("validateMarket names fields under the path it is given", () => {
    expect(validateMarket(withChanges(ETH, (m) => ((m as { tickSize: number }).tickSize = 0)), ["config"])).toEqual([
      { path: ["config", "tickSize"], message: "must be > 0 (got 0)" },
    ]);
  });
  // POST /api/v1/risk/evaluate answering 400 with the fields (checked in a what-if thread): tests/integration/what-ifs.test.ts.
});
