/**
 * `npm run spec:sync`: copies the team's spec (`../shared/spec/`) into `docs/spec/`
 * (scripts/spec-mirror.ts says why there are two).
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { repoRoot, repoSpecDir, sharedSpecDir, syncSpec } from "./spec-mirror";

if (!existsSync(sharedSpecDir)) {
  console.error(`spec:sync: ${sharedSpecDir} does not exist (the team's shared folder beside the repository); docs/spec is left as it is`);
  process.exit(1);
}
const changes = syncSpec(sharedSpecDir, repoSpecDir);
const where = path.relative(repoRoot, repoSpecDir);
if (changes.length === 0) console.log(`spec:sync: ${where} is already the same as ${sharedSpecDir}`);
else console.log(`spec:sync: ${where} updated from ${sharedSpecDir}:\n  ${changes.join("\n  ")}`);
