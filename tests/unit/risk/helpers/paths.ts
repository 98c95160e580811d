import { readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (this file is tests/unit/risk/helpers/paths.ts). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../..");

/** The spec's worked examples: the repository's copy (docs/spec, synced from ../shared/spec). */
export const examplesDir = path.resolve(repoRoot, "docs/spec/examples");

/** Names of every `<name>.scenario.json` that has a `<name>.expected.json`. */
export function exampleNames(): string[] {
  const files = new Set(readdirSync(examplesDir));
  return [...files]
    .filter((f) => f.endsWith(".scenario.json") && files.has(f.replace(".scenario.json", ".expected.json")))
    .map((f) => f.replace(".scenario.json", ""))
    .sort();
}
