import type { Worker } from "node:worker_threads";
import type { RiskIssue } from "@/lib/risk";
import type { BookSnapshot, FundRunway, RunwaySteps } from "../engine-types";
import type { BookLiquidationMap, BookStressResult } from "@/lib/contracts/book-views";
import { startWorker } from "./ts-worker";

/** What the analytics thread computes, each over a snapshot of the book taken when asked. */
export interface AnalyticsJobs {
  fundRunway: { input: { snapshot: BookSnapshot; insuranceFund: number; hint?: RunwaySteps | undefined }; result: FundRunway };
  stress: {
    input: {
      snapshot: BookSnapshot;
      shocks: Record<string, number>;
      insuranceFund: number;
      maxRounds?: number | undefined;
      depthPer1Pct?: Record<string, number> | undefined;
    };
    result: BookStressResult;
  };
  liquidationMap: { input: { snapshot: BookSnapshot; marketId: string }; result: BookLiquidationMap | null };
}

export type AnalyticsJob = { [K in keyof AnalyticsJobs]: { readonly id: number; readonly type: K; readonly input: AnalyticsJobs[K]["input"] } }[keyof AnalyticsJobs];

export type AnalyticsReply =
  | { readonly id: number; readonly ok: true; readonly result: unknown }
  | { readonly id: number; readonly ok: false; readonly error: { readonly name: string; readonly message: string; readonly issues?: readonly RiskIssue[] | undefined } };

export class AnalyticsError extends Error {
  constructor(name: string, message: string, readonly issues?: readonly RiskIssue[]) {
    super(message);
    this.name = name;
  }
}

function buffersOf(snapshot: BookSnapshot): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  for (const v of Object.values(snapshot)) if (ArrayBuffer.isView(v) && v.buffer instanceof ArrayBuffer) out.add(v.buffer);
  return [...out];
}

/**
 * The engine worker's handle on its analytics thread (`analytics-worker.ts`): the stress model, the
 * fund's runway and the liquidation map walk the whole book for up to seconds, so they run there,
 * over a snapshot the engine takes (its typed arrays transferred), while the engine keeps
 * revaluing and answering. Jobs run one at a time in the order sent. The thread starts with the
 * first job; if it dies, its jobs reject and the next job starts a new one.
 */
export class AnalyticsThread {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private nextId = 1;

  run<K extends keyof AnalyticsJobs>(type: K, input: AnalyticsJobs[K]["input"]): Promise<AnalyticsJobs[K]["result"]> {
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      worker.postMessage({ id, type, input } as AnalyticsJob, buffersOf(input.snapshot));
    });
  }

  private start(): Worker {
    const worker = startWorker(new URL("./analytics-worker.ts", import.meta.url), null);
    worker.on("message", (reply: AnalyticsReply) => {
      const p = this.pending.get(reply.id);
      if (!p) return;
      this.pending.delete(reply.id);
      if (reply.ok) p.resolve(reply.result);
      else p.reject(new AnalyticsError(reply.error.name, reply.error.message, reply.error.issues));
    });
    const fail = (error: Error) => {
      if (this.worker !== worker) return;
      this.worker = null;
      for (const p of this.pending.values()) p.reject(error);
      this.pending.clear();
    };
    worker.on("error", fail);
    worker.on("exit", (code) => fail(new Error(`analytics thread exited with code ${code}`)));
    this.worker = worker;
    return worker;
  }
}
