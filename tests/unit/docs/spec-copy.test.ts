import { existsSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { repoSpecDir, sharedSpecDir, specDifferences, syncSpec } from "@/scripts/spec-mirror";

const hasShared = existsSync(sharedSpecDir);

describe("docs/spec, the repository's copy of the risk-model spec", () => {
  it("holds the spec and its worked examples", () => {
    expect(existsSync(path.join(repoSpecDir, "risk-model.md"))).toBe(true);
    expect(existsSync(path.join(repoSpecDir, "examples/cross-margin.scenario.json"))).toBe(true);
  });

  it("is the same as the team's ../shared/spec while that folder exists (`npm run spec:sync` when this fails)", (ctx) => {
    if (!hasShared) ctx.skip(`${sharedSpecDir} does not exist on this machine: docs/spec is the only copy, nothing to compare`);
    expect(specDifferences(sharedSpecDir, repoSpecDir)).toEqual([]);
  });
});

describe("spec sync", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "liqdesk-spec-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  };

  it("names every file missing, changed or extra, and a sync leaves none", () => {
    write("source/spec.md", "v2");
    write("source/examples/a.json", "{}");
    write("copy/spec.md", "v1");
    write("copy/examples/old.json", "{}");
    const source = path.join(dir, "source");
    const copy = path.join(dir, "copy");
    expect(specDifferences(source, copy)).toEqual([
      "missing in the copy: examples/a.json",
      "changed: spec.md",
      "not in the source: examples/old.json",
    ]);
    expect(syncSpec(source, copy)).toHaveLength(3);
    expect(specDifferences(source, copy)).toEqual([]);
  });
});
