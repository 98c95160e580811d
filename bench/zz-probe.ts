import { AlertEvaluator, LiveBook } from "@/lib/engine";
import { generateBook, scaledBook, bookAccountId, BOOK_SEED } from "./lib/book-generator";
import { mulberry32 } from "./lib/prng";
import { defaultEngineRules } from "./alert-rules";
function load(input: any, SIZE: any) {
  const book = new LiveBook({ expectedAccounts: SIZE.accounts, expectedPositions: SIZE.positions });
  for (const p of input.params) book.upsertMarket(p);
  book.applyPrices(input.params.map((p: any, m: number) => ({ marketId: p.id, price: input.marks[m]! })));
  const B = 10000;
  for (let a0 = 0; a0 < SIZE.accounts; a0 += B) {
    const entries = [], updates = [];
    for (let a = a0; a < Math.min(SIZE.accounts, a0 + B); a++) {
      const id = bookAccountId(a);
      entries.push({ accountId: id, amount: input.collateral[a]! });
      for (let i = input.accountStart[a]!; i < input.accountStart[a + 1]!; i++) updates.push({ accountId: id, marketId: input.params[input.market[i]!]!.id, qty: input.qty[i]!, entryPrice: input.entryPrice[i]! });
    }
    book.applyCollateral(entries); book.applyPositions(updates);
  }
  book.drainChanges(); book.queue.refresh();
  return book;
}
export default async function main() {
  const SIZE = scaledBook(Number(process.env.S ?? 1));
  const input = generateBook(0.025, SIZE);
  const books = [load(input, SIZE), load(input, SIZE)];
  const ev = books.map((b) => new AlertEvaluator(b));
  const CONST = { ruleId: "x", subject: "s", raise: true, at: 0 };
  (ev[1] as any).signal = () => CONST;
  let clock = 0;
  for (const e of ev) { e.setRules(defaultEngineRules(), [], clock); e.drain(clock + 10000); }
  clock += 10000;
  const rand = mulberry32(BOOK_SEED + 7);
  const ms = [0, 0]; let drains = 0; let marked = 0;
  for (let i = 0; i < 400; i++) {
    const p = input.marks[0]! * (1 + 0.004 * (rand() - 0.5));
    clock += 50;
    for (let k = 0; k < 2; k++) {
      books[k]!.setMark(input.params[0]!.id, p);
      books[k]!.queue.page(0, 0, 50);
    }
    if (i % 5 === 4) {
      drains++;
      for (let k = 0; k < 2; k++) {
        const j = (i / 5) % 2 ? k : 1 - k;
        books[j]!.drainChanges();
        if (j === 0) marked += (ev[0] as any).dirty.size;
        const t0 = performance.now(); ev[j]!.drain(clock); ms[j]! += performance.now() - t0;
      }
    }
  }
  console.log("per drain: marked", (marked / drains).toFixed(0), "ms with signals", (ms[0]! / drains).toFixed(2), "with stub signals", (ms[1]! / drains).toFixed(2));
}
