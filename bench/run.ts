/**
 * Benchmark dispatcher: `npm run bench -- [NAME...]` runs `bench/<NAME>.ts` for each name given,
 * or every benchmark in bench/ when none is given. A benchmark module default-exports an async
 * function that runs it and prints its report. Benchmarks are never part of the test run.
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here)
  .filter((f) => f.endsWith(".ts") && f !== "run.ts")
  .map((f) => f.slice(0, -3))
  .sort();

const requested = process.argv.slice(2).filter((a) => a !== "--");
const unknown = requested.filter((n) => !available.includes(n));
if (unknown.length > 0) {
  console.error(`unknown benchmark: ${unknown.join(", ")} (available: ${available.join(", ")})`);
  process.exit(2);
}

for (const name of requested.length > 0 ? requested : available) {
  const mod = (await import(pathToFileURL(path.join(here, `${name}.ts`)).href)) as { default?: () => Promise<void> | void };
  if (typeof mod.default !== "function") {
    console.error(`bench/${name}.ts has no default export to run`);
    process.exit(2);
  }
  console.log(`\n== bench ${name}`);
  await mod.default();
}
