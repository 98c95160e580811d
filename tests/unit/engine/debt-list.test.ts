import { describe, expect, it } from "vitest";
import { bookSummary } from "@/lib/engine";
import { pricedBook } from "./helpers/book";

/** Spec §3 (revision 2): accounts carrying debt (collateral below 0) are listed with the amount, whatever their status. */
describe("the summary's debt list", () => {
  it("lists every account whose collateral is below 0, largest debt first, with the total", () => {
    const book = pricedBook();
    book.setCollateral("ok", 1000);
    book.setCollateral("flat-debt", -250.5); // no position: healthy by status, but it owes 250.5
    book.setPosition("long-debt", "BTC-PERP", 0.1, 50000);
    book.setCollateral("long-debt", -900);
    book.setCollateral("zero", 0);
    const { debt, byStatus } = bookSummary(book);
    expect(debt.accounts).toBe(2);
    expect(debt.total).toBe(1150.5);
    expect(debt.largest.map((r) => [r.accountId, r.collateral, r.status])).toEqual([
      ["long-debt", -900, "healthy"],
      ["flat-debt", -250.5, "healthy"],
    ]);
    expect(byStatus.healthy).toBe(4);
  });

  it("a deposit that clears the debt takes the account off the list; the change is flagged for the desk", () => {
    const book = pricedBook();
    book.setCollateral("d", 100);
    book.drainChanges();
    book.addCollateral("d", -160); // a funding payment beyond the balance
    expect(book.drainChanges().summaryChanged).toBe(true);
    expect(bookSummary(book).debt).toMatchObject({ accounts: 1, total: 60, largest: [{ accountId: "d", collateral: -60 }] });
    book.addCollateral("d", 60);
    expect(book.drainChanges().summaryChanged).toBe(true);
    expect(bookSummary(book).debt).toEqual({ accounts: 0, total: 0, largest: [] });
  });

  it("read between every change, the list follows each one (it is rebuilt only when a debt changes, and its rows carry the figures of now)", () => {
    const book = pricedBook();
    book.setPosition("a", "BTC-PERP", 0.1, 50000);
    book.setCollateral("a", -100);
    book.setCollateral("b", -50);
    expect(bookSummary(book).debt).toMatchObject({ accounts: 2, total: 150, largest: [{ accountId: "a" }, { accountId: "b" }] });
    book.addCollateral("b", -100); // b now owes more than a: first
    expect(bookSummary(book).debt).toMatchObject({ accounts: 2, total: 250, largest: [{ accountId: "b", collateral: -150 }, { accountId: "a" }] });
    book.setCollateral("c", -1); // a new account in debt
    expect(bookSummary(book).debt.accounts).toBe(3);
    book.setCollateral("a", 0); // debt cleared to exactly 0
    expect(bookSummary(book).debt).toMatchObject({ accounts: 2, total: 151 });
    book.setCollateral("a", -10);
    const before = bookSummary(book).debt.largest.find((r) => r.accountId === "a")!.equity;
    book.setMark("BTC-PERP", 51000); // a tick changes no collateral, but the row's equity (from 60,000: −900)
    const after = bookSummary(book).debt.largest.find((r) => r.accountId === "a")!.equity;
    expect(after! - before!).toBeCloseTo(-900, 6);
  });
});
