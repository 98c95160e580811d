// A reload of markets (docs/MARKETS-IMPORT.md) reaches the book as one batch: every market checked
// before any is applied, so a refused set leaves every market and figure as it was.
import { describe, expect, it } from "vitest";
import { RiskInputError } from "@/lib/risk";
import { accountView } from "@/lib/engine/views/account-view";
import { pricedBook } from "./helpers/book";
import { MARKETS } from "./helpers/markets";

describe("LiveBook.upsertMarkets", () => {
  it("applies every market of a valid batch and revalues their holders", () => {
    const book = pricedBook();
    const btc = MARKETS.find((m) => m.id === "BTC-PERP")!;
    const price = book.marks[book.marketIndex.get("BTC-PERP")!]!;
    book.applyCollateral([{ accountId: "a", amount: 1_000_000 }]);
    book.applyPositions([{ accountId: "a", marketId: "BTC-PERP", qty: 1, entryPrice: price }]);
    book.upsertMarkets([{ ...btc, tiers: [{ maxNotional: null, mmr: 0.05, maxLeverage: 10 }] }, { ...btc, id: "NEW-PERP" }]);
    expect(accountView(book, "a", 0)!.maintenanceMargin).toBeCloseTo(price * 0.05, 9);
    expect(book.marketIds()).toContain("NEW-PERP");
  });

  it("one market refused: none applied, the error names it", () => {
    const book = pricedBook();
    const btc = MARKETS.find((m) => m.id === "BTC-PERP")!;
    const eth = MARKETS.find((m) => m.id === "ETH-PERP")!;
    book.applyCollateral([{ accountId: "a", amount: 1_000_000 }]);
    book.applyPositions([{ accountId: "a", marketId: "BTC-PERP", qty: 1, entryPrice: 60_000 }]);
    const before = accountView(book, "a", 0)!.maintenanceMargin;
    const tiers = book.compiled.map((m) => m.params);
    expect(() => book.upsertMarkets([{ ...btc, tiers: [{ maxNotional: null, mmr: 0.05, maxLeverage: 10 }] }, { ...eth, liquidationFeeRate: 0.5 }]))
      .toThrow(RiskInputError);
    expect(() => book.upsertMarkets([btc, { ...eth, liquidationFeeRate: 0.5 }])).toThrow(/^markets\[1\]\.liquidationFeeRate: must be below the first tier's mmr/);
    expect(book.compiled.map((m) => m.params)).toEqual(tiers);
    expect(accountView(book, "a", 0)!.maintenanceMargin).toBe(before);
  });
});
