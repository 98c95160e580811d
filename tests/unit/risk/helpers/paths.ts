import { readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (this file is tests/unit/risk/helpers/paths.ts). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../..");

/** The spec's worked examples, read in place from the shared folder beside the repository. */
export const examplesDir = path.resolve(repoRoot, "../shared/spec/examples");

/** Names of every `<name>.scenario.json` that has a `<name>.expected.json`. */
export function exampleNames(): string[] {
  const files = new Set(readdirSync(examplesDir));
  return [...files]
    .filter((f) => f.endsWith(".scenario.json") && files.has(f.replace(".scenario.json", ".expected.json")))
    .map((f) => f.replace(".scenario.json", ""))
    .sort();
}
