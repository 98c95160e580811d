import { describe, expect, it } from "vitest";
import { accountRowsOf, searchAccountIds } from "@/lib/engine";
import { pricedBook } from "./helpers/book";

describe("searching the book's account ids", () => {
  it("finds a part of an id case-insensitively, exact first, then prefixes, then parts; shorter ids first, then by id", () => {
    const book = pricedBook();
    for (const id of ["ACC-7", "x-acc-7", "acc-70", "acc-7", "Acc-700", "zzz", "b-ACC"]) book.setCollateral(id, 100);
    const r = searchAccountIds(book, "aCc-7", 10);
    expect(r.hits.map((h) => [h.row.accountId, h.match])).toEqual([
      ["ACC-7", "exact"], ["acc-7", "exact"], ["acc-70", "prefix"], ["Acc-700", "prefix"], ["x-acc-7", "substring"],
    ]);
    expect(r.total).toBe(5);
    expect(r.hits[0]!.row).toMatchObject({ accountId: "ACC-7", collateral: 100, status: "healthy" });
  });

  it("keeps the best `limit` and counts every match; ids added after a search are found by the next", () => {
    const book = pricedBook();
    for (let i = 0; i < 500; i++) book.setCollateral(`k-${String(499 - i).padStart(3, "0")}`, 1);
    const first = searchAccountIds(book, "K-", 20);
    expect(first.total).toBe(500);
    expect(first.hits.map((h) => h.row.accountId)).toEqual(Array.from({ length: 20 }, (_, i) => `k-${String(i).padStart(3, "0")}`));
    expect(searchAccountIds(book, "k-", 0)).toEqual({ hits: [], total: 500 });
    book.setCollateral("NEW-k-", 1);
    expect(searchAccountIds(book, "new-k", 5).hits.map((h) => h.row.accountId)).toEqual(["NEW-k-"]);
    expect(searchAccountIds(book, "k-", 1).total).toBe(501);
  });

  it("rows of given ids in order, null for an id the book does not hold", () => {
    const book = pricedBook();
    book.setCollateral("a", 5);
    book.setPosition("b", "BTC-PERP", 1, 60000);
    expect(accountRowsOf(book, ["b", "nope", "a"]).map((r) => r?.accountId ?? null)).toEqual(["b", null, "a"]);
  });
});
