import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { RiskInputError, type MarketParams } from "../risk";
import type {
  EngineCommand,
  EngineInit,
  EngineMessage,
  EnginePayload,
  EngineRequest,
  EngineResult,
  ExecutedStep,
  MarketStaleUpdate,
} from "./engine-protocol";
import type { AtRiskQuery, ChangeSet, CollateralDelta, CollateralUpdate, PositionUpdate, PriceUpdate } from "./engine-types";

export interface EngineClientOptions extends EngineInit {
  /** The worker module (default: `engine-worker.ts` beside this file). */
  readonly workerUrl?: URL | undefined;
  /** Milliseconds to wait for the worker's `ready` (default 30 000). */
  readonly startTimeoutMs?: number | undefined;
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

/**
 * Source of the worker's bootstrap. Node 20 does not apply `--import` hooks given in a worker's
 * `execArgv` to the worker's own entry module, so a `.ts` entry cannot be loaded that way. The
 * bootstrap (an eval'd CommonJS script) registers tsx's ESM hooks in the worker thread itself,
 * with the repository's tsconfig (for the `@/` paths lib/risk uses), then imports the entry.
 * Works whether or not the parent runs under tsx (server, scripts, Vitest).
 */
function bootstrapSource(entry: URL): string {
  const tsxApi = tsxEsmApiUrl();
  const tsconfig = fileURLToPath(new URL("../../tsconfig.json", import.meta.url));
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

/**
 * The server's handle on the engine worker: typed requests (request id → promise), change sets
 * as events. Requests are answered in order; a failed request rejects with the worker's error
 * (`RiskInputError` with its issues for bad input). If the worker dies, every pending and later
 * request rejects and the `onExit` listeners run.
 */
export class EngineClient {
  private readonly pending = new Map<number, Pending>();
  private readonly changeListeners = new Set<(changes: ChangeSet) => void>();
  private readonly exitListeners = new Set<(error: Error) => void>();
  private nextId = 1;
  private dead: Error | null = null;

  private constructor(private readonly worker: Worker) {}

  /** Starts the worker and resolves once its book is built. */
  static start(options: EngineClientOptions = {}): Promise<EngineClient> {
    const { workerUrl, startTimeoutMs, ...init } = options;
    const entry = workerUrl ?? new URL("./engine-worker.ts", import.meta.url);
    const worker = entry.pathname.endsWith(".ts")
      ? new Worker(bootstrapSource(entry), { eval: true, workerData: init, execArgv: [] })
      : new Worker(entry, { workerData: init });
    const client = new EngineClient(worker);
    return new Promise<EngineClient>((resolve, reject) => {
      const timer = setTimeout(() => {
        void worker.terminate();
        reject(new Error(`engine worker not ready after ${startTimeoutMs ?? 30_000} ms`));
      }, startTimeoutMs ?? 30_000);
      const fail = (err: Error) => {
        clearTimeout(timer);
        reject(err);
      };
      worker.once("error", fail);
      worker.once("exit", (code) => fail(new Error(`engine worker exited with code ${code} before it was ready`)));
      worker.on("message", (message: EngineMessage) => {
        if (message.kind === "ready") {
          clearTimeout(timer);
          worker.off("error", fail);
          worker.removeAllListeners("exit");
          client.attach();
          resolve(client);
        } else client.receive(message);
      });
    });
  }

  private attach(): void {
    this.worker.on("error", (err) => this.die(err));
    this.worker.on("exit", (code) => this.die(new Error(`engine worker exited with code ${code}`)));
  }

  private die(error: Error): void {
    if (this.dead) return;
    this.dead = error;
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
    for (const l of this.exitListeners) l(error);
  }

  private receive(message: EngineMessage): void {
    if (message.kind === "changes") {
      for (const l of this.changeListeners) l(message.changes);
      return;
    }
    if (message.kind !== "response") return;
    const p = this.pending.get(message.id);
    if (!p) return;
    this.pending.delete(message.id);
    if (message.ok) return p.resolve(message.result);
    const { name, message: text, issues } = message.error;
    const err = issues ? new RiskInputError(issues) : new Error(text);
    if (!issues) err.name = name;
    p.reject(err);
  }

  /** Sends one request; resolves with its result. */
  request<K extends EngineCommand>(type: K, payload: EnginePayload<K>): Promise<EngineResult<K>> {
    if (this.dead) return Promise.reject(this.dead);
    const id = this.nextId++;
    return new Promise<EngineResult<K>>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ id, type, payload } as EngineRequest);
    });
  }

  /** Listens to change sets pushed by the worker; returns an unsubscribe function. */
  onChanges(listener: (changes: ChangeSet) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** Runs when the worker dies (crash or `close`). */
  onExit(listener: (error: Error) => void): () => void {
    this.exitListeners.add(listener);
    return () => this.exitListeners.delete(listener);
  }

  /** Requests not answered yet. */
  get inFlight(): number {
    return this.pending.size;
  }

  upsertMarkets(markets: MarketParams[]) {
    return this.request("upsertMarkets", { markets });
  }
  applyPrices(ticks: PriceUpdate[]) {
    return this.request("applyPrices", { ticks });
  }
  setStale(updates: MarketStaleUpdate[]) {
    return this.request("setStale", { updates });
  }
  applyPositions(updates: PositionUpdate[]) {
    return this.request("applyPositions", { updates });
  }
  applyCollateral(entries: CollateralUpdate[]) {
    return this.request("applyCollateral", { entries });
  }
  applyCollateralDeltas(deltas: CollateralDelta[]) {
    return this.request("applyCollateralDeltas", { deltas });
  }
  applyFunding(deltas: CollateralDelta[]) {
    return this.request("applyFunding", { deltas });
  }
  markStepExecuted(steps: ExecutedStep[]) {
    return this.request("markStepExecuted", { steps });
  }
  summary() {
    return this.request("summary", {});
  }
  queue(now: number, offset?: number, limit?: number) {
    return this.request("queue", { now, offset, limit });
  }
  accountView(accountId: string, now: number) {
    return this.request("accountView", { accountId, now });
  }
  atRisk(query: AtRiskQuery = {}) {
    return this.request("atRisk", query);
  }
  dueSteps(now: number, limit?: number) {
    return this.request("dueSteps", { now, limit });
  }
  /** The live state as columns (typed arrays transferred), e.g. for `scenarioOfSnapshot` and the stress model. */
  snapshot() {
    return this.request("snapshot", {});
  }
  drainChanges() {
    return this.request("drainChanges", {});
  }
  stats() {
    return this.request("stats", {});
  }

  /** Stops the worker; pending requests reject. */
  async close(): Promise<void> {
    if (!this.dead) this.die(new Error("engine worker closed"));
    await this.worker.terminate();
  }
}
