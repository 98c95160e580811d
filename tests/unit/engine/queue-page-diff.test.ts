import { describe, expect, it } from "vitest";
import { applyQueueChanges } from "@/lib/contracts/apply-queue-changes";
import { QueuePageDiff } from "@/lib/engine";
import type { Page, QueueEntry } from "@/lib/contracts/book-views";
import { compileMarket, qtyOfLots } from "@/lib/risk";
import { createPrng } from "@/lib/sim/prng";
import { pricedBook } from "./helpers/book";
import { MARKETS, PRICES } from "./helpers/markets";

const T0 = 1_700_000_000_000;
const ROWS = 25;
const EMPTY: Page<QueueEntry> = { total: 0, offset: 0, limit: ROWS, items: [] };

/**
 * 300 accounts over the spec's markets, about a third of them at or below maintenance at the start,
 * and the desk stream's producing half over its first `ROWS` queue rows (what the worker answers
 * `queueChanges` with).
 */
function loadedBook(seed: number) {
  const random = createPrng(seed);
  const book = pricedBook({ params: { cooldownMs: 5000 } });
  const compiled = MARKETS.map(compileMarket);
  for (let a = 0; a < 300; a++) {
    const id = `acct-${a}`;
    let mm = 0;
    MARKETS.forEach((m, i) => {
      if (random() < 0.5) return;
      const qty = qtyOfLots(compiled[i]!, 1 + Math.floor(random() * 50_000)) * (random() < 0.5 ? -1 : 1);
      book.setPosition(id, m.id, qty, PRICES[m.id]! * (0.99 + 0.02 * random()));
      mm += Math.abs(qty) * PRICES[m.id]! * 0.01;
    });
    book.setCollateral(id, mm * (0.6 + 1.5 * random()));
  }
  const published = new QueuePageDiff();
  const queueChanges = (now: number, reset = false) => published.next(book.queue.page(now, 0, ROWS), reset);
  return { book, random, queueChanges };
}

describe("the queue's first rows as a stream of changes", () => {
  it("a consumer applying every change holds exactly the queue's first rows, after ticks, top-ups, steps, stale flags and time", () => {
    const { book, random, queueChanges } = loadedBook(7);
    let now = T0;
    let page = applyQueueChanges(EMPTY, queueChanges(now, true)!, 0)!;
    let at = now;
    let upserted = 0;
    let sent = 0;
    for (let round = 0; round < 120; round++) {
      now += Math.floor(random() * 1500);
      const op = random();
      if (op < 0.5) {
        const m = MARKETS[Math.floor(random() * MARKETS.length)]!;
        book.setMark(m.id, PRICES[m.id]! * (0.985 + 0.03 * random()));
      } else if (op < 0.7) {
        const top = book.queue.page(now, 0, ROWS).items;
        const pick = top[Math.floor(random() * top.length)];
        if (pick) book.addCollateral(pick.accountId, pick.shortfall * 2 * random());
      } else if (op < 0.85) {
        const due = book.queue.dueSteps(now, 1)[0];
        if (due) book.markStepExecuted(due.accountId, now);
      } else if (op < 0.95) {
        const m = MARKETS[Math.floor(random() * MARKETS.length)]!;
        book.setStale(m.id, !book.isStale(m.id));
      } // else: only time passes
      const changes = queueChanges(now);
      const want = book.queue.page(now, 0, ROWS);
      if (changes === null) {
        // Nothing shown changed: the rows held, their cool-downs counted down, are the queue's.
        expect(applyQueueChanges(page, { total: page.total, upserts: [], removed: [] }, now - at)).toEqual(want);
        continue;
      }
      sent++;
      upserted += changes.upserts.length;
      const next = applyQueueChanges(page, changes, now - at)!;
      expect(next).toEqual(want);
      // What did not change keeps its object (nothing to re-render).
      for (const e of next.items) {
        const before = page.items.find((x) => x.accountId === e.accountId);
        if (before && !changes.upserts.some((u) => u.accountId === e.accountId) && before.rank === e.rank && before.cooldownRemainingMs === e.cooldownRemainingMs) {
          expect(e).toBe(before);
        }
      }
      page = next;
      at = now;
    }
    expect(sent).toBeGreaterThan(30);
    // Row changes, not pages: far fewer entries went out than pages × rows.
    expect(upserted).toBeLessThan(sent * ROWS * 0.6);
  });

  it("one account's top-up sends that row alone (and the order only if it moved); nothing changed sends nothing", () => {
    const { book, queueChanges } = loadedBook(11);
    queueChanges(T0, true);
    expect(queueChanges(T0 + 1000)).toBeNull();
    const rows = book.queue.page(T0, 0, ROWS).items;
    const target = rows[rows.length - 1]!;
    book.addCollateral(target.accountId, target.shortfall * 0.01);
    const changes = queueChanges(T0 + 1000)!;
    expect(changes.upserts.map((e) => e.accountId)).toEqual([target.accountId]);
    expect(changes.removed).toEqual([]);
  });

  it("an account healed out of the first rows is a removal and the order; the row that moves up is sent", () => {
    const { book, queueChanges } = loadedBook(13);
    queueChanges(T0, true);
    const rows = book.queue.page(T0, 0, ROWS + 1).items;
    const healed = rows[0]!;
    book.addCollateral(healed.accountId, healed.shortfall + healed.maintenanceMargin);
    const changes = queueChanges(T0)!;
    expect(changes.removed).toEqual([healed.accountId]);
    expect(changes.order).toEqual(rows.slice(1).map((e) => e.accountId));
    expect(changes.upserts.map((e) => e.accountId)).toEqual([rows[ROWS]!.accountId]);
    expect(changes.total).toBe(book.queue.length);
  });

  it("after a reset the changes rebuild the rows from nothing, whatever the consumer held", () => {
    const { book, queueChanges } = loadedBook(17);
    const stale = applyQueueChanges(EMPTY, queueChanges(T0, true)!, 0)!;
    for (const m of MARKETS) book.setMark(m.id, PRICES[m.id]! * 0.97);
    const rebuilt = applyQueueChanges(stale, queueChanges(T0, true)!, 0);
    expect(rebuilt).toEqual(book.queue.page(T0, 0, ROWS));
  });

  it("changes that name a row the consumer never had do not apply (null: start again from a snapshot)", () => {
    const { queueChanges } = loadedBook(19);
    const changes = queueChanges(T0, true)!;
    expect(applyQueueChanges(EMPTY, { ...changes, upserts: changes.upserts.slice(1) }, 0)).toBeNull();
  });
});
