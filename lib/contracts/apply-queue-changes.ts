import type { Page, QueueEntry, QueuePageChanges } from "./book-views";

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
  for (const e of page.items) byId.set(e.accountId, e);
  for (const id of changes.removed) byId.delete(id);
  const fresh = new Set<string>();
  for (const e of changes.upserts) {
    byId.set(e.accountId, e);
    fresh.add(e.accountId);
  }
  const ids = changes.order ?? page.items.map((e) => e.accountId);
  const items: QueueEntry[] = [];
  for (let i = 0; i < ids.length; i++) {
    let e = byId.get(ids[i]!);
    if (!e) return null;
    const cooldown = fresh.has(e.accountId) || elapsedMs <= 0 ? e.cooldownRemainingMs : Math.max(0, e.cooldownRemainingMs - elapsedMs);
    const rank = page.offset + i;
    if (cooldown !== e.cooldownRemainingMs || rank !== e.rank) e = { ...e, cooldownRemainingMs: cooldown, rank };
    items.push(e);
  }
  return { total: changes.total, offset: page.offset, limit: page.limit, items };
}
