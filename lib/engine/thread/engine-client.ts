import type { Worker } from "node:worker_threads";
import { RiskInputError, type MarketParams } from "@/lib/risk";
import type {
  EngineCommand,
  EngineInit,
  EngineMessage,
  EnginePayload,
  EngineRequest,
  EngineResult,
  ExecutedStep,
  FailedStep,
  MarketStaleUpdate,
} from "./engine-protocol";
import { startWorker } from "./ts-worker";
import type { AtRiskQuery, ChangeSet, CollateralDelta, CollateralUpdate, OpenAlertRef, PositionUpdate, PriceUpdate } from "../engine-types";
import type { AlertRuleView, AlertSignal } from "@/lib/contracts/alerts";

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
 * The server's handle on the engine worker: typed requests (request id → promise), change sets
 * as events. Requests are answered in order, the analytics commands (`stress`, `fundRunway`,
 * `liquidationMap`) when their thread is done; a failed request rejects with the worker's error
 * (`RiskInputError` with its issues for bad input). If the worker dies, every pending and later
 * request rejects and the `onExit` listeners run.
 */
export class EngineClient {
  private readonly pending = new Map<number, Pending>();
  private readonly changeListeners = new Set<(changes: ChangeSet) => void>();
  private readonly alertListeners = new Set<(signals: AlertSignal[]) => void>();
  private readonly exitListeners = new Set<(error: Error) => void>();
  private nextId = 1;
  private dead: Error | null = null;

  private constructor(private readonly worker: Worker) {}

  /** Starts the worker and resolves once its book is built. */
  static start(options: EngineClientOptions = {}): Promise<EngineClient> {
    const { workerUrl, startTimeoutMs, ...init } = options;
    const worker = startWorker(workerUrl ?? new URL("./engine-worker.ts", import.meta.url), init);
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
    if (message.kind === "alerts") {
      for (const l of this.alertListeners) l(message.signals);
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

  /** Listens to the alert signals pushed by the worker (each batch in order, never empty); returns an unsubscribe function. */
  onAlerts(listener: (signals: AlertSignal[]) => void): () => void {
    this.alertListeners.add(listener);
    return () => this.alertListeners.delete(listener);
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
  markStepFailed(steps: FailedStep[]) {
    return this.request("markStepFailed", { steps });
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
  /** Accounts whose id contains `q`, case-insensitive: the best `limit` (exact, prefix, substring) and the count of all. */
  searchIds(q: string, limit: number) {
    return this.request("searchIds", { q, limit });
  }
  /** The list rows of these accounts, in order (`null` for an id the book does not hold). */
  accountRows(ids: string[]) {
    return this.request("accountRows", { ids });
  }
  dueSteps(now: number, limit?: number) {
    return this.request("dueSteps", { now, limit });
  }
  /** How the first `limit` queue rows changed since the previous call (`null`: not at all); `reset`: all of them. */
  queueChanges(now: number, limit: number, reset = false) {
    return this.request("queueChanges", { now, limit, reset });
  }
  histogram() {
    return this.request("histogram", {});
  }
  /** Margin snapshot rows (columns, transferred) of the accounts changed since their previous row: at most `limit`, oldest first. */
  marginRows(limit?: number) {
    return this.request("marginRows", { limit });
  }
  /** The live state as columns (typed arrays transferred), e.g. for `scenarioOfSnapshot` and the stress model. */
  snapshot(market?: string) {
    return this.request("snapshot", { market });
  }
  stress(shocks: Record<string, number>, insuranceFund: number, maxRounds?: number, depthPer1Pct?: Record<string, number>) {
    return this.request("stress", { shocks, insuranceFund, maxRounds, depthPer1Pct });
  }
  fundRunway(insuranceFund: number) {
    return this.request("fundRunway", { insuranceFund });
  }
  liquidationMap(marketId: string) {
    return this.request("liquidationMap", { marketId });
  }
  drainChanges() {
    return this.request("drainChanges", {});
  }
  /** The alert rules to evaluate, with the store's unresolved alerts of engine kinds; their first signals are pushed before this resolves. */
  setAlertRules(rules: AlertRuleView[], open: OpenAlertRef[], now: number) {
    return this.request("setAlertRules", { rules, open, now });
  }
  /** The alert signals not pushed yet (evaluated at `now`). */
  drainAlerts(now: number) {
    return this.request("drainAlerts", { now });
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
