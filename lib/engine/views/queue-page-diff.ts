import { queueEntryKey, type Page, type QueueEntry, type QueuePageChanges } from "@/lib/contracts/book-views";

/**
 * Whether an entry shows the same thing as before, rank and cool-down aside (the place is given by
 * the order, and a cool-down counting down is a function of time): the same plan object (a member
 * is re-planned only when its figures moved), figures, status, last step, pause and tiers.
 */
function sameEntry(a: QueueEntry, b: QueueEntry): boolean {
  return (
    a.plan === b.plan &&
    a.equity === b.equity &&
    a.maintenanceMargin === b.maintenanceMargin &&
    a.status === b.status &&
    a.lastStepAt === b.lastStepAt &&
    a.pausedReason === b.pausedReason &&
    a.tierBefore === b.tierBefore &&
    a.tierAfter === b.tierAfter
  );
}

/**
 * The producing half of the desk's queue stream: remembers the first rows of the queue as last
 * published and turns the rows now into `QueuePageChanges` (only entries that changed, accounts
 * gone, the order when it changed). Holds at most one page of entries. `applyQueueChanges`
 * (lib/contracts/apply-queue-changes.ts) is the consuming half.
 */
export class QueuePageDiff {
  private order: string[] = [];
  private entries = new Map<string, QueueEntry>();
  private total = -1;

  /** The changes from the page last published to `page` (from an empty page when `reset`); `null` when none. */
  next(page: Page<QueueEntry>, reset: boolean): QueuePageChanges | null {
    if (reset) {
      this.order = [];
      this.entries = new Map();
      this.total = -1;
    }
    const order: string[] = [];
    const entries = new Map<string, QueueEntry>();
    const upserts: QueueEntry[] = [];
    for (const e of page.items) {
      const key = queueEntryKey(e);
      order.push(key);
      entries.set(key, e);
      const before = this.entries.get(key);
      if (!before || !sameEntry(before, e)) upserts.push(e);
    }
    const removed = this.order.filter((id) => !entries.has(id));
    // After a reset the order always goes out: it replaces whatever rows the consumer holds.
    const orderChanged = reset || order.length !== this.order.length || order.some((id, i) => id !== this.order[i]);
    const totalChanged = page.total !== this.total;
    this.order = order;
    this.entries = entries;
    this.total = page.total;
    if (!orderChanged && !totalChanged && upserts.length === 0) return null;
    return { total: page.total, order: orderChanged ? order : undefined, upserts, removed };
  }
}
