import { describe, expect, it } from "vitest";
import { safeParseRiskScenario } from "@/lib/contracts/risk-scenario";
import { safeParseStressRequest } from "@/lib/contracts/stress-request";
import { evaluateScenario, RiskInputError, validateMarket, type RiskScenario } from "@/lib/risk";
import { BTC, ETH, withChanges } from "./helpers/markets";

/** Spec §11 bad input: every issue names its field; nothing is evaluated. */
const base: RiskScenario = {
  markets: [BTC, { ...ETH, maintenanceFeeRate: 0.0005 }],
  prices: { "BTC-PERP": 60000, "ETH-PERP": 3000 },
  accounts: [
    { id: "a0", collateral: 1000, positions: [{ marketId: "ETH-PERP", qty: -2.5, entryPrice: 3000 }] },
    {
      id: "a1",
      collateral: 1000,
      positions: [
        { marketId: "ETH-PERP", qty: 1, entryPrice: 3000 },
        { marketId: "BTC-PERP", qty: 0.5, entryPrice: 60000, marginMode: "isolated", isolatedMargin: 250 },
      ],
    },
  ],
};

type Mutable = { -readonly [K in keyof RiskScenario]: any }; // eslint-disable-line @typescript-eslint/no-explicit-any

function fieldsOf(change: (s: Mutable) => void, parse: (input: unknown) => { success: boolean; fields?: { path: string; message: string }[] } = safeParseRiskScenario) {
  const result = parse(withChanges(base as Mutable, change));
  return result.success ? [] : result.fields!;
}

describe("§11 bad input names the field", () => {
  it("accepts the base scenario (an isolated position, a market with the fee term)", () => {
    expect(fieldsOf(() => {})).toEqual([]);
    expect(evaluateScenario(base).accounts[1]!.positions[1]!.marginMode).toBe("isolated");
  });

  it.each([
    ["an unknown marginMode", (s: Mutable) => (s.accounts[1].positions[1].marginMode = "portfolio"), "accounts[1].positions[1].marginMode", /must be one of cross, isolated \(got "portfolio"\)/],
    ["a marginMode that is not a string", (s: Mutable) => (s.accounts[1].positions[1].marginMode = 1), "accounts[1].positions[1].marginMode", /must be one of cross, isolated/],
    ["isolatedMargin on a cross position", (s: Mutable) => (s.accounts[1].positions[0].isolatedMargin = 100), "accounts[1].positions[0].isolatedMargin", /only an isolated position has one/],
    ["isolatedMargin on an explicitly cross position", (s: Mutable) => Object.assign(s.accounts[0].positions[0], { marginMode: "cross", isolatedMargin: 5 }), "accounts[0].positions[0].isolatedMargin", /only an isolated position/],
    ["isolatedMargin missing on an isolated position", (s: Mutable) => delete s.accounts[1].positions[1].isolatedMargin, "accounts[1].positions[1].isolatedMargin", /is required on an isolated position/],
    ["a non-numeric isolatedMargin", (s: Mutable) => (s.accounts[1].positions[1].isolatedMargin = "250"), "accounts[1].positions[1].isolatedMargin", /must be a finite number \(got "250"\)/],
    ["a null isolatedMargin", (s: Mutable) => (s.accounts[1].positions[1].isolatedMargin = null), "accounts[1].positions[1].isolatedMargin", /must be a finite number/],
    ["an isolatedMargin beyond the money bounds", (s: Mutable) => (s.accounts[1].positions[1].isolatedMargin = 1e300), "accounts[1].positions[1].isolatedMargin", /USD/],
    ["maintenanceFeeRate negative", (s: Mutable) => (s.markets[1].maintenanceFeeRate = -0.001), "markets[1].maintenanceFeeRate", /must be a rate in \[0, 1\) \(got -0\.001\)/],
    ["maintenanceFeeRate of 1", (s: Mutable) => (s.markets[1].maintenanceFeeRate = 1), "markets[1].maintenanceFeeRate", /must be a rate in \[0, 1\)/],
    ["maintenanceFeeRate not a number", (s: Mutable) => (s.markets[0].maintenanceFeeRate = "0.001"), "markets[0].maintenanceFeeRate", /must be a finite number/],
    ["maintenanceFeeRate leaving no room for the liquidation fee with the first tier's mmr", (s: Mutable) => {
      s.markets[1].tiers = [{ maxNotional: null, mmr: 0.5, maxLeverage: 2 }];
      s.markets[1].liquidationFeeRate = 0.01;
      s.markets[1].maintenanceFeeRate = 0.49;
    }, "markets[1].maintenanceFeeRate", /0\.49 with the first tier's mmr \(0\.5\) leaves no room for the liquidation fee \(0\.01\)/],
  ])("%s", (_name, change, path, message) => {
    const fields = fieldsOf(change);
    expect(fields, JSON.stringify(fields)).toContainEqual({ path, message: expect.stringMatching(message) });
    // The same through the stress contract, and the model refuses it too: nothing evaluated.
    const stress = fieldsOf((s) => { change(s); (s as Record<string, unknown>).shocks = {}; }, safeParseStressRequest);
    expect(stress.map((f) => f.path)).toContain(path);
  });

  it("the model itself refuses non-finite margins and fee rates that reach it without the schema", () => {
    for (const bad of [NaN, Infinity, -Infinity]) {
      const s = withChanges(base as Mutable, (c) => (c.accounts[1].positions[1].isolatedMargin = bad));
      expect(() => evaluateScenario(s)).toThrow(RiskInputError);
      try {
        evaluateScenario(s);
      } catch (e) {
        expect((e as RiskInputError).issues).toContainEqual({ path: ["accounts", 1, "positions", 1, "isolatedMargin"], message: `must be a finite number (got ${bad})` });
      }
      expect(validateMarket({ ...BTC, maintenanceFeeRate: bad }, ["m"])).toEqual([{ path: ["m", "maintenanceFeeRate"], message: `must be a finite number (got ${bad})` }]);
    }
  });

  it("the fee-room rule binds at the tier that breaks it; a fee rate of 0 or none adds no rule (§2 exactly)", () => {
    const steep = { ...BTC, liquidationFeeRate: 0.001, tiers: [{ maxNotional: 1000, mmr: 0.01, maxLeverage: 50 }, { maxNotional: null, mmr: 0.995, maxLeverage: 1 }] };
    expect(validateMarket(steep)).toEqual([]);
    expect(validateMarket({ ...steep, maintenanceFeeRate: 0 })).toEqual([]);
    expect(validateMarket({ ...steep, maintenanceFeeRate: 0.003 })).toEqual([]);
    expect(validateMarket({ ...steep, maintenanceFeeRate: 0.004 })).toEqual([
      { path: ["maintenanceFeeRate"], message: expect.stringMatching(/^0\.004 with tiers\[1\]'s mmr \(0\.995\) leaves no room for the liquidation fee \(0\.001\)/) },
    ]);
  });

  it("a batch with one bad position is refused whole: no account is evaluated", () => {
    const bad = withChanges(base as Mutable, (s) => (s.accounts[1].positions[1].marginMode = "isolatedd"));
    expect(() => evaluateScenario(bad)).toThrow(RiskInputError);
  });
});
