import { spawn } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { evaluateScenario, stressTest, type RiskScenario } from "@/lib/risk";
import { BTC, ETH } from "./helpers/markets";
import { repoRoot } from "./helpers/paths";

/** `risk evaluate` / `risk stress` with spec §11's fields (the CLI of scripts/risk.ts, as a child process). */
function risk(args: string[], stdin: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(repoRoot, "node_modules/.bin/tsx"), ["scripts/risk.ts", ...args], { cwd: repoRoot });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

const scenario: RiskScenario = {
  markets: [BTC, { ...ETH, maintenanceFeeRate: 0.0005 }],
  prices: { "BTC-PERP": 57000, "ETH-PERP": 3000 },
  accounts: [
    {
      id: "mixed",
      collateral: 50000,
      positions: [
        { marketId: "BTC-PERP", qty: 1, entryPrice: 60000, marginMode: "isolated", isolatedMargin: 2000 },
        { marketId: "ETH-PERP", qty: 1, entryPrice: 3000, marginMode: "cross" },
      ],
    },
    { id: "cross", collateral: 700, positions: [{ marketId: "ETH-PERP", qty: -10, entryPrice: 2950 }] },
  ],
};

describe.concurrent("the risk CLI with isolated positions and the fee term (spec §11)", { timeout: 60_000 }, () => {
  it("evaluate: each isolated position's own equity, MM, ratio, status and plan; the account's plan is its cross plan", async () => {
    const run = await risk(["evaluate", "-"], JSON.stringify(scenario));
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`${JSON.stringify(evaluateScenario(scenario), null, 2)}\n`);
    const out = JSON.parse(run.stdout) as ReturnType<typeof evaluateScenario>;
    const [mixed] = out.accounts;
    expect(mixed!.status).toBe("bankrupt");
    expect(mixed!.crossStatus).toBe("healthy");
    expect(mixed!.liquidation.mode).toBe("none");
    expect(mixed!.positions[0]).toMatchObject({ marginMode: "isolated", isolatedMargin: 2000, equity: -1000, status: "bankrupt", marginRatio: null });
    expect(mixed!.positions[0]!.liquidation!.mode).toBe("full");
    expect(Object.keys(mixed!.positions[1]!)).toEqual(["marketId", "qty", "notional", "unrealizedPnl", "maintenanceMargin", "initialMargin", "tier", "liquidationPrice"]);
  });

  it("stress: the isolated unit is liquidated apart and its deficit paid by the fund", async () => {
    const run = await risk(["stress", "-"], JSON.stringify({ ...scenario, shocks: {}, insuranceFund: 5000, maxRounds: 1 }));
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as ReturnType<typeof stressTest>;
    expect(run.stdout).toBe(`${JSON.stringify(stressTest({ ...scenario, shocks: {}, insuranceFund: 5000, maxRounds: 1 }), null, 2)}\n`);
    expect(out.cascade.rounds[0]!.markets.map((m) => m.marketId)).toEqual(["BTC-PERP"]);
    expect(out.cascade.totals.deficits).toBeCloseTo(1070.8225, 9);
  });

  const bad: [string, (s: any) => void, string][] = [ // eslint-disable-line @typescript-eslint/no-explicit-any
    ["unknown marginMode", (s) => (s.accounts[0].positions[1].marginMode = "portfolio"), "accounts[0].positions[1].marginMode: must be one of cross, isolated"],
    ["isolatedMargin on a cross position", (s) => (s.accounts[1].positions[0].isolatedMargin = 10), "accounts[1].positions[0].isolatedMargin: only an isolated position has one"],
    ["isolatedMargin missing", (s) => delete s.accounts[0].positions[0].isolatedMargin, "accounts[0].positions[0].isolatedMargin: is required on an isolated position"],
    ["isolatedMargin not a number", (s) => (s.accounts[0].positions[0].isolatedMargin = "2000"), "accounts[0].positions[0].isolatedMargin: must be a finite number"],
    ["maintenanceFeeRate out of [0, 1)", (s) => (s.markets[1].maintenanceFeeRate = 1.5), "markets[1].maintenanceFeeRate: must be a rate in [0, 1) (got 1.5)"],
  ];
  it.each(bad)("refuses %s: exit 1, the field on standard error, nothing on standard output", async (_name, change, line) => {
    for (const command of ["evaluate", "stress"]) {
      const input = structuredClone({ ...scenario, ...(command === "stress" ? { shocks: {} } : {}) }) as unknown as Record<string, unknown>;
      change(input);
      const run = await risk([command, "-"], JSON.stringify(input));
      expect(run.code).toBe(1);
      expect(run.stdout).toBe("");
      expect(run.stderr).toContain(line);
    }
  });
});
