import { queueEntryKey, type Page, type QueueEntry, type QueuePageChanges } from "./book-views";

/**
 * The consuming half of the desk's queue stream, shared by the desk feed on the server and the
 * browser (the producing half is the engine's `QueuePageDiff`): `page` (as of `elapsedMs` ago)
 * with `changes` applied. Entries keep their object when nothing about them changed; kept
 * entries' cool-downs are counted down by `elapsedMs` (so that every row's cool-down is measured
 * from the same moment, the changes' time), and each row's `rank` is its place. `null` when the changes do not fit the page (an id in the order with
 * no entry): the consumer missed something and must start again from a snapshot.
 */
export function applyQueueChanges(page: Page<QueueEntry>, changes: QueuePageChanges, elapsedMs: number): Page<QueueEntry> | null {
  const byId = new Map<string, QueueEntry>();
  // Keyed by `queueEntryKey`: an account's cross part and each isolated position are entries apart (spec §11).
  for (const e of page.items) byId.set(queueEntryKey(e), e);
  for (const id of changes.removed) byId.delete(id);
  const fresh = new Set<string>();
  for (const e of changes.upserts) {
    byId.set(queueEntryKey(e), e);
    fresh.add(queueEntryKey(e));
  }
  const ids = changes.order ?? page.items.map(queueEntryKey);
  const items: QueueEntry[] = [];
  for (let i = 0; i < ids.length; i++) {
    let e = byId.get(ids[i]!);
    if (!e) return null;
    const cooldown = fresh.has(queueEntryKey(e)) || elapsedMs <= 0 ? e.cooldownRemainingMs : Math.max(0, e.cooldownRemainingMs - elapsedMs);
    const rank = page.offset + i;
    if (cooldown !== e.cooldownRemainingMs || rank !== e.rank) e = { ...e, cooldownRemainingMs: cooldown, rank };
    items.push(e);
  }
  return { total: changes.total, offset: page.offset, limit: page.limit, items };
}
