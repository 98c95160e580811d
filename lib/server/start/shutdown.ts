import type { Logger } from "../logger";

/** How long an orderly shutdown may take before the process exits anyway (status 1). */
const SHUTDOWN_DEADLINE_MS = 30_000;

/**
 * The process's orderly stop: each start step registers how to undo itself, and SIGINT/SIGTERM
 * run them in reverse order (the last started stops first), each timed and logged, then exit 0.
 */
export class Shutdown {
  private readonly steps: { name: string; run: () => Promise<void> | void }[] = [];
  private started = false;

  constructor(private readonly log: Logger) {}

  /** Whether a shutdown has begun (a step still starting gives up). */
  get stopping(): boolean {
    return this.started;
  }

  add(name: string, run: () => Promise<void> | void): void {
    this.steps.push({ name, run });
  }

  /** Runs the shutdown on SIGINT and SIGTERM. */
  onSignals(): void {
    process.on("SIGINT", () => void this.run("SIGINT"));
    process.on("SIGTERM", () => void this.run("SIGTERM"));
  }

  async run(signal: string): Promise<void> {
    if (this.started) return;
    this.started = true;
    const log = this.log;
    log.info({ signal }, "shutting down");
    let current = "";
    // Every acknowledged write is committed before its answer, so a shutdown that hangs loses
    // nothing by exiting: say which step hung, and go.
    setTimeout(() => {
      log.error({ step: current, afterMs: SHUTDOWN_DEADLINE_MS }, "shutdown step did not finish: exiting");
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    for (const step of [...this.steps].reverse()) {
      current = step.name;
      const started = performance.now();
      try {
        await step.run();
      } catch (error) {
        log.error({ err: error, step: step.name }, "shutdown step failed");
      }
      log.debug({ step: step.name, ms: Math.round(performance.now() - started) }, "shutdown step done");
    }
    log.info("stopped");
    process.exit(0);
  }
}
