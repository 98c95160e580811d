import type { LiquidationPlan } from "@/lib/risk";
import { grow } from "./grow";

/**
 * What the executor reported of each account's liquidation steps, with the caller's clock:
 *
 * - Cool-down (spec §6.5): when its last step executed (`executed`); a plan in mode `partial` may
 *   run its next step `cooldownMs` after it, one in mode `full` does not wait (its whole plan runs
 *   as one step at once, even during a cool-down left by an earlier partial step). It survives the
 *   account leaving the queue.
 * - Execution holds: a step that failed to execute (`failed`) holds the account out for
 *   `cooldownMs` with the reason, then it is retried; a step that executes, or leaving the queue,
 *   clears it. One account's failure never stops the others.
 */
export class StepRecords {
  private lastStep = new Float64Array(0);
  /** Accounts whose last step failed to execute: why, and until when they are held out. */
  private readonly failures = new Map<number, { reason: string; until: number }>();

  constructor(private readonly cooldownMs: number) {}

  /** Makes room for account indices `< n` (`n` a capacity the caller chose). */
  ensureAccounts(n: number): void {
    this.lastStep = grow(this.lastStep, n, NaN);
  }

  /** A step of the account executed at `now`: its cool-down starts, any hold ends. */
  executed(a: number, now: number): void {
    this.lastStep[a] = now;
    this.failures.delete(a);
  }

  /** A step of the account failed to execute at `now` (`reason`: the error): held out for `cooldownMs`. */
  failed(a: number, now: number, reason: string): void {
    this.failures.set(a, { reason, until: now + this.cooldownMs });
  }

  /** The account left the queue: a failure no longer holds it. */
  forgetFailure(a: number): void {
    this.failures.delete(a);
  }

  /** Whether a failure is recorded for the account (counted as paused until a step executes, its hold lapsed or not). */
  hasFailure(a: number): boolean {
    return this.failures.has(a);
  }

  /** `execution failed: <reason>` while a failure holds the account at `now`, else `null`. */
  holdAt(a: number, now: number): string | null {
    const failure = this.failures.get(a);
    return failure && now < failure.until ? `execution failed: ${failure.reason}` : null;
  }

  lastStepAt(a: number): number | null {
    const t = this.lastStep[a]!;
    return Number.isNaN(t) ? null : t;
  }

  /** Time left of the cool-down after the account's last step, whatever its mode. */
  rawCooldownRemaining(a: number, now: number): number {
    const t = this.lastStep[a]!;
    if (Number.isNaN(t)) return 0;
    return Math.max(0, t + this.cooldownMs - now);
  }

  /** The cool-down that holds the entry back: none in mode `full` (spec §6.5). */
  cooldownRemaining(a: number, plan: LiquidationPlan, now: number): number {
    return plan.mode === "full" ? 0 : this.rawCooldownRemaining(a, now);
  }
}
