/**
 * The risk-model spec and its worked examples live in the team's shared folder beside the
 * repository (`../shared/spec/`); the repository carries a copy in `docs/spec/` so that its tests
 * and its users have them without that folder. `npm run spec:sync` refreshes the copy, and
 * tests/unit/docs/spec-copy.test.ts fails while the two differ.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
/** The team's copy, the source of truth (absent outside the team's machines). */
export const sharedSpecDir = path.resolve(repoRoot, "../shared/spec");
/** The repository's copy, what the tests and the docs read. */
export const repoSpecDir = path.join(repoRoot, "docs/spec");

/** Every file under `dir`, as paths relative to it ("/"-separated), sorted. */
function listFiles(dir: string, prefix = ""): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).sort().flatMap((name) => {
    const full = path.join(dir, name);
    const rel = prefix ? `${prefix}/${name}` : name;
    return statSync(full).isDirectory() ? listFiles(full, rel) : [rel];
  });
}

/** What differs between `source` and `copy`: one line per file missing, extra or changed. */
export function specDifferences(source: string, copy: string): string[] {
  const want = listFiles(source);
  const have = new Set(listFiles(copy));
  const out: string[] = [];
  for (const file of want) {
    if (!have.has(file)) out.push(`missing in the copy: ${file}`);
    else if (!readFileSync(path.join(source, file)).equals(readFileSync(path.join(copy, file)))) out.push(`changed: ${file}`);
    have.delete(file);
  }
  for (const file of have) out.push(`not in the source: ${file}`);
  return out;
}

/** Makes `copy` an exact copy of `source` (files missing from the source are removed). */
export function syncSpec(source: string, copy: string): string[] {
  const changes = specDifferences(source, copy);
  if (changes.length > 0) {
    // File by file, not cpSync: the shared folder is read-only and its modes must not follow.
    rmSync(copy, { recursive: true, force: true });
    for (const file of listFiles(source)) {
      mkdirSync(path.dirname(path.join(copy, file)), { recursive: true });
      writeFileSync(path.join(copy, file), readFileSync(path.join(source, file)));
    }
  }
  return changes;
}
