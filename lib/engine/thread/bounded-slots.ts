/**
 * A counting semaphore with a bounded wait: `slots` holders at once, at most `maxWaiting` more
 * waiting in arrival order, and a refusal (`SlotsFullError`, at once) beyond that — a queue that
 * never grows without bound. Used in front of the what-if worker pool and the engine's analytics
 * thread (lib/server/what-ifs.ts).
 */
export class SlotsFullError extends Error {
  constructor(readonly running: number, readonly waiting: number) {
    super(`busy: ${running} running and ${waiting} waiting, the most allowed`);
    this.name = "SlotsFullError";
  }
}

export class BoundedSlots {
  private held = 0;
  private readonly waiters: (() => void)[] = [];

  constructor(readonly slots: number, readonly maxWaiting: number) {
    if (!(Number.isInteger(slots) && slots >= 1)) throw new RangeError(`slots must be an integer ≥ 1, got ${slots}`);
    if (!(Number.isInteger(maxWaiting) && maxWaiting >= 0)) throw new RangeError(`maxWaiting must be an integer ≥ 0, got ${maxWaiting}`);
  }

  get running(): number {
    return this.held;
  }

  get waiting(): number {
    return this.waiters.length;
  }

  /** Whether `acquire` would be refused now. */
  full(): boolean {
    return this.held >= this.slots && this.waiters.length >= this.maxWaiting;
  }

  /** A slot (its `release`, to call exactly once), after the waiters before it; refused when the wait is full. */
  acquire(): Promise<() => void> {
    if (this.held < this.slots) {
      this.held++;
      return Promise.resolve(this.releaser());
    }
    if (this.waiters.length >= this.maxWaiting) return Promise.reject(new SlotsFullError(this.held, this.waiters.length));
    return new Promise((resolve) => this.waiters.push(() => resolve(this.releaser())));
  }

  private releaser(): () => void {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const next = this.waiters.shift();
      // The slot passes straight to the next waiter: `held` stays.
      if (next) next();
      else this.held--;
    };
  }
}
