import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { evaluateResponseSchema } from "@/lib/contracts/risk-evaluation";
import { parseRiskScenario } from "@/lib/contracts/risk-scenario";
import { evaluateScenario } from "@/lib/risk";
import { compareOutput } from "./helpers/compare-output";
import { exampleNames, examplesDir, repoRoot } from "./helpers/paths";

const names = exampleNames();
const read = (file: string): unknown => JSON.parse(readFileSync(path.join(examplesDir, file), "utf8"));

describe("the spec's worked examples", () => {
  it("are found in the repository (docs/spec/examples)", () => {
    expect(names.length).toBeGreaterThanOrEqual(3);
  });

  describe.each(names)("%s", (name) => {
    const scenario = read(`${name}.scenario.json`);
    const expected = read(`${name}.expected.json`);

    it("is reproduced by the model: figures within 1e-9, quantities, sides, modes and statuses exactly", () => {
      const output = JSON.parse(JSON.stringify(evaluateScenario(parseRiskScenario(scenario))));
      expect(compareOutput(output, expected)).toEqual([]);
      expect(evaluateResponseSchema.safeParse(output).success).toBe(true);
    });

    // POST /api/v1/risk/evaluate (computed in a what-if thread): tests/integration/what-ifs.test.ts.
  });

  it("is reproduced by the CLI, which prints the JSON and nothing else", () => {
    const name = names[0]!;
    const run = spawnSync("npx", ["tsx", "scripts/risk.ts", "evaluate", path.join(examplesDir, `${name}.scenario.json`)], {
      cwd: repoRoot,
      encoding: "utf8",
    });
    expect(run.status).toBe(0);
    expect(compareOutput(JSON.parse(run.stdout), read(`${name}.expected.json`))).toEqual([]);
  });
});

describe("the example comparison", () => {
  it("rejects a figure off by more than 1e-9, a quantity off by a lot, a changed status and a missing key", () => {
    const expected = { status: "warning", qty: 14.29, equity: 100, after: { equity: 1, maintenanceMargin: 0 } };
    expect(compareOutput(structuredClone(expected), expected)).toEqual([]);
    expect(compareOutput({ ...expected, equity: 100 * (1 + 1e-8) }, expected)).toHaveLength(1);
    expect(compareOutput({ ...expected, qty: 14.3 }, expected)).toHaveLength(1);
    expect(compareOutput({ ...expected, qty: 14.290000000000001 }, expected)).toHaveLength(1);
    expect(compareOutput({ ...expected, status: "healthy" }, expected)).toHaveLength(1);
    expect(compareOutput({ ...expected, after: { equity: 1, maintenanceMargin: 1e-300 } }, expected)).toHaveLength(1);
    expect(compareOutput({ status: "warning", qty: 14.29, equity: 100 }, expected).length).toBeGreaterThan(0);
  });
});
