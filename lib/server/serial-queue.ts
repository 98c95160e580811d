import "server-only";

/**
 * Runs async tasks one at a time, in the order they were queued. The ingest paths that change
 * accounts (positions, collateral, funding, executed liquidation steps) go through one queue, so
 * the engine is told about committed changes in the order PostgreSQL committed them.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** Resolves when everything queued so far has finished. */
  idle(): Promise<void> {
    return this.tail.then(() => undefined);
  }
}
