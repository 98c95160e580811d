import "server-only";
import { InputError } from "@/lib/contracts/api-error";
import { BoundedSlots, SlotsFullError } from "@/lib/engine/thread/bounded-slots";
import { WhatIfFailedError, WhatIfPool } from "@/lib/engine/thread/what-if-pool";
import type { UserPrincipal } from "./auth/policy";
import type { PrismaClient } from "./db/prisma-client";
import type { Env } from "./env";
import { HttpError } from "./errors";
import { BODY_LIMITS } from "./http/body-limits";
import { readJsonBytes } from "./http/read-body";
import { streamBytes } from "./http/stream-bytes";
import { consumeRateWindow } from "./rate-window";

const RATE_WINDOW_MS = 60_000;
/** Retry-After (s) of a refusal for a full server: about one large what-if's time. */
const BUSY_RETRY_AFTER_S = 2;

/**
 * Admission and dispatch of what a trader or the desk can make the server compute at will: the
 * what-ifs of `POST /api/v1/risk/evaluate` (parsed, checked and evaluated in `WhatIfPool`'s
 * threads) and the stress runs of `POST /api/v1/stress` (on the engine's analytics thread). Each
 * request first passes, per user,
 *   - a limit on what-ifs and stress runs running or waiting at once (`LIQDESK_WHATIF_PER_USER`,
 *     in this instance's memory), then
 *   - a rate (`LIQDESK_WHATIF_RATE_LIMIT` a minute, `rate_windows` in PostgreSQL: all instances),
 * (429 `rate_limited` with Retry-After), then the server-wide bound: `LIQDESK_WHATIF_WORKERS` threads
 * (one analytics thread for stress) and `LIQDESK_WHATIF_QUEUE` waiting, beyond which it is refused
 * at once (503 `busy` with Retry-After) — before its body is even read. Errors are thrown as the
 * API's error types (matched by name in `withErrors`), as the runtime lives in another module graph.
 */
export class WhatIfs {
  readonly pool: WhatIfPool;
  private readonly analytics: BoundedSlots;
  private readonly perUser = new Map<string, number>();

  constructor(private readonly env: Env, private readonly prisma: PrismaClient) {
    this.pool = new WhatIfPool({
      workers: env.LIQDESK_WHATIF_WORKERS, maxWaiting: env.LIQDESK_WHATIF_QUEUE,
      timeoutMs: env.LIQDESK_WHATIF_TIMEOUT_MS, memoryMb: env.LIQDESK_WHATIF_MEMORY_MB,
    });
    this.analytics = new BoundedSlots(1, env.LIQDESK_WHATIF_QUEUE);
  }

  /**
   * Spec §10 on the body of `request`, decoded, parsed and computed off the main thread (the main
   * thread only reads the bytes and transfers them); the answer's JSON as the thread wrote it,
   * streamed in chunks (`streamBytes`: never copied or written whole on the main thread). Not
   * compressed: Next drops a route's `Content-Encoding` header (send-response.js), so a body gzipped
   * in the thread would reach the client undeclared, and compressing tens of MB on the main thread
   * stalls it (server.ts leaves this path uncompressed).
   */
  async evaluate(user: UserPrincipal, request: Request): Promise<Response> {
    const leave = await this.admit(user, () => this.pool.full());
    try {
      const bytes = await readJsonBytes(request, BODY_LIMITS.batch);
      const outcome = await this.pool.evaluate(bytes).catch(refusal);
      if (!outcome.ok) throw new InputError(outcome.fields);
      return new Response(streamBytes(outcome.body), { headers: { "content-type": "application/json" } });
    } finally {
      leave();
    }
  }

  /** Runs a stress run (`run`: the request read, checked and sent to the engine's analytics thread) within the limits. */
  async stress<T>(user: UserPrincipal, run: () => Promise<T>): Promise<T> {
    const leave = await this.admit(user, () => this.analytics.full());
    try {
      const release = await this.analytics.acquire().catch(refusal);
      try {
        return await run();
      } finally {
        release();
      }
    } finally {
      leave();
    }
  }

  stop(): Promise<void> {
    return this.pool.stop();
  }

  /** Takes one of the user's places (released by the function returned), or refuses: 429 per user, 503 when `full()`. */
  private async admit(user: UserPrincipal, full: () => boolean): Promise<() => void> {
    const key = user.userId;
    const max = this.env.LIQDESK_WHATIF_PER_USER;
    const held = this.perUser.get(key) ?? 0;
    if (held >= max) {
      throw new HttpError(429, "rate_limited",
        `too many what-ifs at once: at most ${max} per user running or waiting; send the next when ${max === 1 ? "yours is" : "one of yours is"} answered`,
        { "retry-after": "1" });
    }
    this.perUser.set(key, held + 1);
    let left = false;
    const leave = () => {
      if (left) return;
      left = true;
      const n = (this.perUser.get(key) ?? 1) - 1;
      if (n > 0) this.perUser.set(key, n);
      else this.perUser.delete(key);
    };
    try {
      await consumeRateWindow(this.prisma, `whatif:${key}`, this.env.LIQDESK_WHATIF_RATE_LIMIT, RATE_WINDOW_MS, "what-ifs and stress runs");
      if (full()) throw busy();
      return leave;
    } catch (error) {
      leave();
      throw error;
    }
  }
}


function busy(): HttpError {
  return new HttpError(503, "busy", "the server is computing as many what-ifs as it may and its queue is full: nothing was computed; try again shortly",
    { "retry-after": String(BUSY_RETRY_AFTER_S) });
}

/** A refusal of the pool or the analytics slots as the API answers it. */
function refusal(error: unknown): never {
  if (error instanceof SlotsFullError) throw busy();
  if (error instanceof WhatIfFailedError) {
    if (error.reason === "memory") throw new HttpError(413, "whatif_too_large", `${error.message}: nothing was computed; send a smaller scenario`);
    throw new HttpError(503, "whatif_failed", `${error.message}: nothing was computed; the server is fine, try again or send a smaller scenario`,
      { "retry-after": String(BUSY_RETRY_AFTER_S) });
  }
  throw error;
}
