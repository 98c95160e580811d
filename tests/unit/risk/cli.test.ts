import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { examplesDir, repoRoot } from "./helpers/paths";

/** Runs `tsx scripts/risk.ts ARGS` (the local tsx, not through npx) with `stdin` piped in. */
function risk(args: string[], stdin = ""): Promise<{ code: number | null; stdout: string; stderr: string }> {
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

const scenario = JSON.parse(readFileSync(path.join(examplesDir, "single-market.scenario.json"), "utf8")) as {
  accounts: { positions: { qty: number }[] }[];
};

describe.concurrent("the risk CLI", { timeout: 30_000 }, () => {
  it("rejects invalid input from standard input: exit 1, the field named on standard error, nothing on standard output", async () => {
    const bad = structuredClone(scenario);
    bad.accounts[2]!.positions[0]!.qty = 0.0015;
    const run = await risk(["evaluate", "-"], JSON.stringify(bad));
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("accounts[2].positions[0].qty: 0.0015 is not a whole number of lots (lotSize 0.001)");
  });

  it("runs a stress test: JSON in, the shock and the cascade out", async () => {
    const run = await risk(["stress", "-"], JSON.stringify({ ...scenario, shocks: { "BTC-PERP": -0.05 }, insuranceFund: 1000 }));
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as { shock: { marks: Record<string, number> }; cascade: { stoppedBy: string } };
    expect(out.shock.marks["BTC-PERP"]).toBe(57000);
    expect(["no_liquidations", "max_rounds"]).toContain(out.cascade.stoppedBy);
  });

  it("answers a usage error with exit 2, and malformed JSON with exit 1", async () => {
    const [usage, malformed] = await Promise.all([risk(["frobnicate"]), risk(["evaluate", "-"], "{")]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("usage: risk evaluate FILE|-");
    expect(malformed.code).toBe(1);
    expect(malformed.stderr).toContain("not valid JSON");
  });
});
