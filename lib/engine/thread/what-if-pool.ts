import type { Worker } from "node:worker_threads";
import type { FieldError } from "@/lib/contracts/api-error";
import { BoundedSlots } from "./bounded-slots";
import { startWorker } from "./ts-worker";

/**
 * A job for a what-if thread: the request body's bytes as they came (their buffer transferred),
 * decoded, parsed and checked there (spec §10): the main thread never decodes or copies them.
 */
export interface WhatIfJob {
  readonly id: number;
  readonly kind: "evaluate";
  readonly bytes: Uint8Array<ArrayBuffer>;
}

export type WhatIfReply =
  /** The answer's JSON, UTF-8 (its buffer transferred). */
  | { readonly id: number; readonly ok: true; readonly body: Uint8Array<ArrayBuffer> }
  /** Invalid input: every bad field, nothing evaluated. */
  | { readonly id: number; readonly ok: false; readonly fields: FieldError[] }
  /** The model threw. */
  | { readonly id: number; readonly ok: false; readonly error: { readonly name: string; readonly message: string } };

export type WhatIfOutcome =
  | { readonly ok: true; readonly body: Uint8Array<ArrayBuffer> }
  | { readonly ok: false; readonly fields: FieldError[] };

/** Why a what-if has no answer: its thread ran out of memory, ran past the time limit, or died. */
export type WhatIfFailure = "memory" | "timeout" | "crashed";

export class WhatIfFailedError extends Error {
  constructor(readonly reason: WhatIfFailure, message: string) {
    super(message);
    this.name = "WhatIfFailedError";
  }
}

export interface WhatIfPoolOptions {
  /** Threads computing at once. */
  workers: number;
  /** What-ifs waiting for a thread beyond those; more are refused (`SlotsFullError`). */
  maxWaiting: number;
  /** A what-if running longer is stopped (its thread terminated). */
  timeoutMs: number;
  /** Heap limit of each thread, MB: a what-if needing more kills its thread only. */
  memoryMb: number;
}

/**
 * The threads that compute what-ifs (`POST /api/v1/risk/evaluate`) off the main thread, so that
 * seconds of parsing, validating, evaluating and serialising a 10 MB scenario never delay another
 * request (issue 15, item 18). At most `workers` run at once and `maxWaiting` wait; beyond that a
 * what-if is refused at once (`full()`, `SlotsFullError`): never a growing backlog. A thread starts
 * with the first job that needs it and serves one job at a time; one that dies (out of memory, a
 * crash) or runs past `timeoutMs` (terminated) fails its job with a `WhatIfFailedError` and the next
 * job starts a new thread.
 */
export class WhatIfPool {
  private readonly slots: BoundedSlots;
  private readonly idle: Worker[] = [];
  private readonly live = new Set<Worker>();
  /** Settles when a thread has loaded its modules: a job's time limit runs from then. */
  private readonly ready = new WeakMap<Worker, Promise<void>>();
  private nextId = 1;
  private stopped = false;

  constructor(private readonly options: WhatIfPoolOptions) {
    this.slots = new BoundedSlots(options.workers, options.maxWaiting);
  }

  /** Whether a what-if sent now would be refused (every thread busy, the wait full). */
  full(): boolean {
    return this.slots.full();
  }

  /** Live threads (idle or busy). */
  get threads(): number {
    return this.live.size;
  }

  /**
   * Spec §10 on a request body (JSON as UTF-8 bytes, decoded strictly in the thread), the
   * answer's JSON as bytes. `bytes` must own its whole buffer, which is transferred to the thread
   * (detached here). Rejects with `SlotsFullError` when full, `WhatIfFailedError` when its thread fails.
   */
  async evaluate(bytes: Uint8Array<ArrayBuffer>): Promise<WhatIfOutcome> {
    if (bytes.byteOffset !== 0 || bytes.byteLength !== bytes.buffer.byteLength) {
      throw new Error("WhatIfPool.evaluate: the body's bytes must own their whole buffer (it is transferred)");
    }
    const release = await this.slots.acquire();
    try {
      const reply = await this.dispatch({ id: this.nextId++, kind: "evaluate", bytes });
      if (reply.ok) return { ok: true, body: reply.body };
      if ("fields" in reply) return { ok: false, fields: reply.fields };
      throw new WhatIfFailedError("crashed", `the what-if failed: ${reply.error.name}: ${reply.error.message}`);
    } finally {
      release();
    }
  }

  /** Terminates every thread; later what-ifs fail. */
  async stop(): Promise<void> {
    this.stopped = true;
    const all = [...this.live];
    this.live.clear();
    this.idle.length = 0;
    await Promise.all(all.map((w) => w.terminate()));
  }

  private start(): Worker {
    const worker = startWorker(new URL("./what-if-worker.ts", import.meta.url), null, {
      resourceLimits: { maxOldGenerationSizeMb: this.options.memoryMb },
    });
    worker.unref();
    this.live.add(worker);
    this.ready.set(worker, new Promise<void>((resolve, reject) => {
      const onMessage = (m: unknown) => {
        if ((m as { ready?: boolean }).ready !== true) return;
        worker.off("message", onMessage);
        resolve();
      };
      worker.on("message", onMessage);
      worker.once("error", reject);
      worker.once("exit", (code) => reject(new Error(`exited with code ${code} while starting`)));
    }));
    this.ready.get(worker)!.catch(() => undefined);
    worker.once("exit", () => {
      this.live.delete(worker);
      const at = this.idle.indexOf(worker);
      if (at >= 0) this.idle.splice(at, 1);
    });
    // A thread that dies idle is simply dropped (the exit handler above); its error is not a job's.
    worker.on("error", () => undefined);
    return worker;
  }

  private async dispatch(job: WhatIfJob): Promise<WhatIfReply> {
    if (this.stopped) throw new WhatIfFailedError("crashed", "the server is stopping");
    const worker = this.idle.pop() ?? this.start();
    try {
      await this.ready.get(worker);
    } catch (error) {
      throw new WhatIfFailedError("crashed", `the what-if's thread did not start: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (!this.live.has(worker)) throw new WhatIfFailedError("crashed", "the what-if's thread exited before its job");
    return new Promise((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        worker.off("message", onMessage);
        worker.off("error", onError);
        worker.off("exit", onExit);
      };
      const onMessage = (reply: WhatIfReply) => {
        if (reply.id !== job.id) return;
        done();
        if (!this.stopped && this.live.has(worker)) this.idle.push(worker);
        resolve(reply);
      };
      const onError = (error: Error & { code?: string }) => {
        done();
        reject(error.code === "ERR_WORKER_OUT_OF_MEMORY"
          ? new WhatIfFailedError("memory", `the what-if needs more memory than one may use (${this.options.memoryMb} MB)`)
          : new WhatIfFailedError("crashed", `the what-if's thread failed: ${error.message}`));
      };
      const onExit = (code: number) => {
        done();
        reject(new WhatIfFailedError("crashed", `the what-if's thread exited (code ${code})`));
      };
      const timer = setTimeout(() => {
        done();
        this.live.delete(worker);
        void worker.terminate();
        reject(new WhatIfFailedError("timeout", `the what-if took longer than ${this.options.timeoutMs / 1000} s and was stopped`));
      }, this.options.timeoutMs);
      worker.on("message", onMessage);
      worker.on("error", onError);
      worker.on("exit", onExit);
      worker.postMessage(job, [job.bytes.buffer]);
    });
  }
}
