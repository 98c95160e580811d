import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiErrorBody } from "@/lib/contracts/api-error";
import { evaluateScenario, type RiskScenario } from "@/lib/risk";
import { bookState, startRouteHarness, type RouteHarness } from "../support/route-harness";
import { BTC, ETH } from "../unit/risk/helpers/markets";
import { exampleNames, examplesDir } from "../unit/risk/helpers/paths";

/**
 * `POST /api/v1/risk/evaluate` with spec §11's fields, through the route handler on a real
 * PostgreSQL and a live runtime (the what-if pool parses and evaluates off the main thread):
 * isolated positions and the fee term in, §11's figures out; each bad field a 400 naming it,
 * nothing changed; cross-only spec examples byte for byte as before.
 */
describe("POST /api/v1/risk/evaluate with isolated positions and maintenanceFeeRate", { timeout: 120_000 }, () => {
  let h: RouteHarness;
  beforeAll(async () => {
    h = await startRouteHarness();
  });
  afterAll(() => h.stop());

  const scenario: RiskScenario = {
    markets: [BTC, { ...ETH, maintenanceFeeRate: 0.0005 }],
    prices: { "BTC-PERP": 57000, "ETH-PERP": 3000 },
    accounts: [{
      id: "mixed",
      collateral: 50000,
      positions: [
        { marketId: "BTC-PERP", qty: 1, entryPrice: 60000, marginMode: "isolated", isolatedMargin: 2000 },
        { marketId: "ETH-PERP", qty: 1, entryPrice: 3000 },
      ],
    }],
  };

  it("returns each isolated position's own figures and plan, the account's cross figures and cross plan", async () => {
    const res = await h.call("POST /api/v1/risk/evaluate", { json: scenario });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toBe(JSON.stringify(evaluateScenario(scenario)));
    const [a] = (JSON.parse(text) as ReturnType<typeof evaluateScenario>).accounts;
    expect(a).toMatchObject({ status: "bankrupt", crossStatus: "healthy", equity: 50000, maintenanceMargin: 3000 * 0.0055 });
    expect(a!.liquidation.mode).toBe("none");
    expect(a!.positions[0]).toMatchObject({ marginMode: "isolated", isolatedMargin: 2000, equity: -1000, status: "bankrupt", marginRatio: null });
    expect(a!.positions[0]!.liquidation!.deficit).toBeCloseTo(1070.8225, 9);
  });

  it("answers the spec's cross-only examples exactly as before", async () => {
    for (const name of exampleNames()) {
      const res = await h.call("POST /api/v1/risk/evaluate", { body: readFileSync(path.join(examplesDir, `${name}.scenario.json`), "utf8"), headers: { "content-type": "application/json" } });
      expect(res.status).toBe(200);
      const scenarioJson = JSON.parse(readFileSync(path.join(examplesDir, `${name}.scenario.json`), "utf8")) as RiskScenario;
      expect(await res.text()).toBe(JSON.stringify(evaluateScenario(scenarioJson)));
    }
  });

  const bad: [string, (s: any) => void, string, RegExp][] = [ // eslint-disable-line @typescript-eslint/no-explicit-any
    ["an unknown marginMode", (s) => (s.accounts[0].positions[1].marginMode = "portfolio"), "accounts[0].positions[1].marginMode", /must be one of cross, isolated/],
    ["isolatedMargin on a cross position", (s) => (s.accounts[0].positions[1].isolatedMargin = 10), "accounts[0].positions[1].isolatedMargin", /only an isolated position has one/],
    ["isolatedMargin missing on an isolated position", (s) => delete s.accounts[0].positions[0].isolatedMargin, "accounts[0].positions[0].isolatedMargin", /is required/],
    ["a non-finite isolatedMargin (1e999 reads as Infinity)", (s) => (s.accounts[0].positions[0].isolatedMargin = "__INF__"), "accounts[0].positions[0].isolatedMargin", /finite number|USD/],
    ["a maintenanceFeeRate outside [0, 1)", (s) => (s.markets[1].maintenanceFeeRate = -0.1), "markets[1].maintenanceFeeRate", /must be a rate in \[0, 1\)/],
    ["a maintenanceFeeRate that leaves no room for the liquidation fee", (s) => {
      s.markets[1].maintenanceFeeRate = 0.9999;
    }, "markets[1].maintenanceFeeRate", /leaves no room for the liquidation fee/],
  ];
  it.each(bad)("refuses %s: 400 naming the field, nothing changed", async (_name, change, field, message) => {
    const before = await bookState(h);
    const input = structuredClone(scenario) as unknown as Record<string, unknown>;
    change(input);
    const res = await h.call("POST /api/v1/risk/evaluate", { body: JSON.stringify(input).replace('"__INF__"', "1e999"), headers: { "content-type": "application/json" } });
    expect(res.status).toBe(400);
    const error = ((await res.json()) as ApiErrorBody).error;
    expect(error.code).toBe("invalid_input");
    expect(error.fields).toContainEqual({ path: field, message: expect.stringMatching(message) });
    expect(await bookState(h)).toEqual(before);
  });
});
