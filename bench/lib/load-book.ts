import { LiveBook } from "@/lib/engine";
import { bookAccountId, type GeneratedBook } from "./book-generator";

/**
 * A generated book in a live book, loaded as the start-up rebuild from PostgreSQL loads one: every
 * market, its start mark, then each `batch` accounts' collateral and positions through
 * `applyCollateral` / `applyPositions`. The change set it leaves is the caller's to drain.
 */
export function loadGeneratedBook(input: GeneratedBook, batch = 10_000): LiveBook {
  const { accounts, positions } = input.size;
  const book = new LiveBook({ expectedAccounts: accounts, expectedPositions: positions });
  for (const p of input.params) book.upsertMarket(p);
  book.applyPrices(input.params.map((p, m) => ({ marketId: p.id, price: input.marks[m]! })));
  for (let a0 = 0; a0 < accounts; a0 += batch) {
    const entries = [];
    const updates = [];
    for (let a = a0; a < Math.min(accounts, a0 + batch); a++) {
      const id = bookAccountId(a);
      entries.push({ accountId: id, amount: input.collateral[a]! });
      for (let i = input.accountStart[a]!; i < input.accountStart[a + 1]!; i++) {
        updates.push({ accountId: id, marketId: input.params[input.market[i]!]!.id, qty: input.qty[i]!, entryPrice: input.entryPrice[i]! });
      }
    }
    book.applyCollateral(entries);
    book.applyPositions(updates);
  }
  return book;
}
