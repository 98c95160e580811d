import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker, type WorkerOptions } from "node:worker_threads";

/**
 * Starts a worker thread on a module of this repository. A `.ts` entry gets a small eval'd
 * bootstrap: Node 20 does not apply `--import` hooks given in a worker's `execArgv` to the worker's
 * own entry module, so the bootstrap (CommonJS) registers tsx's ESM hooks in the new thread itself,
 * with the repository's tsconfig (for the `@/` paths lib/risk uses), then imports the entry. Works
 * whether or not the parent runs under tsx (server, scripts, Vitest), and from inside a worker.
 * `options.resourceLimits`: the thread's heap limit (the what-if pool's); past it only the thread dies.
 * The process's profiling flags (`--cpu-prof*`, `--heap-prof*`) are passed on, so that a server
 * started with them (LIQDESK_SERVER_NODE_ARGS in tests/support/app-server.ts) profiles its threads too.
 */
export function startWorker(entry: URL, workerData: unknown, options: Pick<WorkerOptions, "resourceLimits"> = {}): Worker {
  if (!entry.pathname.endsWith(".ts")) return new Worker(entry, { workerData, ...options });
  return new Worker(bootstrapSource(entry), { eval: true, workerData, execArgv: profilingFlags(), ...options });
}

function profilingFlags(): string[] {
  return process.execArgv.filter((a) => /^--(cpu|heap)-prof/.test(a));
}

function bootstrapSource(entry: URL): string {
  const tsxApi = tsxEsmApiUrl();
  const tsconfig = fileURLToPath(new URL("../../../tsconfig.json", import.meta.url));
  return (
    `import(${JSON.stringify(tsxApi)})` +
    `.then(({ register }) => { register({ tsconfig: ${JSON.stringify(tsconfig)} }); return import(${JSON.stringify(entry.href)}); })` +
    `.catch((err) => { setImmediate(() => { throw err; }); });`
  );
}

/**
 * URL of tsx's ESM API (`tsx/esm/api` under the `import` condition; its CommonJS build cannot
 * register hooks when imported). `import.meta.resolve` where the runtime has it, else the package's
 * export map.
 */
function tsxEsmApiUrl(): string {
  if (typeof import.meta.resolve === "function") {
    try {
      const url = import.meta.resolve("tsx/esm/api");
      if (url.endsWith(".mjs")) return url;
    } catch {
      // fall through to the export map
    }
  }
  const require = createRequire(import.meta.url);
  const manifest = require.resolve("tsx/package.json");
  const pkg = require("tsx/package.json") as { exports: Record<string, { import?: { default?: string } } | undefined> };
  const entry = pkg.exports["./esm/api"]?.import?.default;
  if (!entry) throw new Error("tsx/esm/api has no ESM entry in tsx's package.json");
  return pathToFileURL(path.join(path.dirname(manifest), entry)).href;
}
