import "server-only";
import type { ChangeSet } from "@/lib/engine";
import type { PrismaClient } from "./db/prisma-client";
import type { Logger } from "./logger";
import type { LiveEngine } from "./live-engine";
import { writeMarginSnapshots } from "./persistence/margin-snapshots";

/**
 * Margin history: at a fixed cadence, one snapshot row per account whose figures changed since
 * the last snapshot, written in one batch. Feeds the margin history charts.
 */
export class MarginSnapshotter {
  private readonly changed = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> | null = null;
  private readonly unsubscribe: () => void;

  constructor(private readonly engine: LiveEngine, private readonly prisma: PrismaClient, private readonly log: Logger) {
    this.unsubscribe = engine.onChanges((changes: ChangeSet) => {
      for (const id of changes.accounts) this.changed.add(id);
    });
  }

  start(intervalMs: number): void {
    this.timer = setInterval(() => {
      if (this.writing || this.changed.size === 0) return;
      this.writing = this.flush(Date.now())
        .then(() => undefined)
        .catch((error: unknown) => this.log.error({ err: error }, "margin snapshot failed"))
        .finally(() => { this.writing = null; });
    }, intervalMs);
  }

  /** Writes one snapshot of every account changed since the last flush; returns the rows written. */
  async flush(now: number): Promise<number> {
    const ids = new Set(this.changed);
    this.changed.clear();
    if (ids.size === 0) return 0;
    const page = await this.engine.client.atRisk({ limit: Number.MAX_SAFE_INTEGER });
    const rows = page.items.filter((a) => ids.has(a.accountId)).map((a) => ({
      accountId: a.accountId, ts: now, collateral: a.collateral, equity: a.equity,
      maintenanceMargin: a.maintenanceMargin, marginRatio: a.marginRatio, status: a.status,
    }));
    return writeMarginSnapshots(this.prisma, rows);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.unsubscribe();
    await this.writing;
  }
}
