import { describe, expect, it } from "vitest";
import { bookSnapshot, fundRunway, liquidationMapOfSnapshot, LiveBook, stressOfSnapshot } from "@/lib/engine";
import { RiskInputError, stressTest, type AccountInput } from "@/lib/risk";
import { MARKETS, PRICES } from "./helpers/markets";

/** BTC and ETH priced, SOL never priced. */
const PRICED = { "BTC-PERP": PRICES["BTC-PERP"]!, "ETH-PERP": PRICES["ETH-PERP"]! };

/** The accounts of unknown figures: each holds SOL, never priced (one also a BTC leg). */
const UNKNOWN: AccountInput[] = [
  { id: "sol-only", collateral: 800, positions: [{ marketId: "SOL-PERP", qty: 20, entryPrice: 150 }] },
  { id: "btc-and-sol", collateral: 900, positions: [{ marketId: "BTC-PERP", qty: 1, entryPrice: 60000 }, { marketId: "SOL-PERP", qty: -30, entryPrice: 150 }] },
];

/** The priced sub-book: BTC longs of thin to thick collateral, an ETH short, and an account that once held SOL (now flat). */
const PRICED_ACCOUNTS: AccountInput[] = [
  ...Array.from({ length: 12 }, (_, i) => ({ id: `btc-${i}`, collateral: 300 + 150 * i, positions: [{ marketId: "BTC-PERP", qty: 1, entryPrice: 60000 }] })),
  { id: "eth-short", collateral: 2500, positions: [{ marketId: "ETH-PERP", qty: -10, entryPrice: 3000 }] },
  { id: "was-sol", collateral: 1000, positions: [{ marketId: "ETH-PERP", qty: 2, entryPrice: 3000 }] },
];

/** A live book of `accounts` over the three markets, with only BTC and ETH ever priced. */
function book(accounts: readonly AccountInput[]): LiveBook {
  const b = new LiveBook();
  for (const m of MARKETS) b.upsertMarket(m);
  for (const [id, p] of Object.entries(PRICED)) b.setMark(id, p);
  for (const a of accounts) {
    for (const p of a.positions) b.setPosition(a.id, p.marketId, p.qty, p.entryPrice);
    if (a.id === "was-sol") {
      b.setPosition(a.id, "SOL-PERP", 5, 150);
      b.setPosition(a.id, "SOL-PERP", 0, 150);
    }
    b.setCollateral(a.id, a.collateral);
  }
  return b;
}

/** Priced accounts and unknown ones interleaved, as a live book receives them. */
const MIXED = [PRICED_ACCOUNTS[0]!, UNKNOWN[0]!, ...PRICED_ACCOUNTS.slice(1, 6), UNKNOWN[1]!, ...PRICED_ACCOUNTS.slice(6)];

describe("book-wide analytics with a market never priced (spec §7 revision 2)", () => {
  it("stress leaves out the accounts holding it, says so, and evaluates the rest exactly as lib/risk does on the priced sub-book", () => {
    const shocks = { "BTC-PERP": -0.1, "ETH-PERP": 0.05 };
    const result = stressOfSnapshot(bookSnapshot(book(MIXED)), shocks, 5000);
    expect(result.unknownAccounts).toEqual({ count: 2, markets: ["SOL-PERP"] });
    const { unknownAccounts, ...figures } = result;
    expect(unknownAccounts.count).toBe(UNKNOWN.length);
    const expected = stressTest({ markets: MARKETS, prices: PRICED, accounts: PRICED_ACCOUNTS, shocks, insuranceFund: 5000 });
    expect(figures).toEqual(expected);
    expect(Object.values(figures.shock.statusCounts).reduce((a, b) => a + b, 0)).toBe(PRICED_ACCOUNTS.length);
    expect(figures.shock.liquidatableAccounts).toBeGreaterThan(0);
  });

  it("with every market priced nothing is left out", () => {
    const b = book(PRICED_ACCOUNTS);
    b.setMark("SOL-PERP", 150);
    expect(stressOfSnapshot(bookSnapshot(b), {}, 0).unknownAccounts).toEqual({ count: 0, markets: [] });
    expect(fundRunway(bookSnapshot(b), 0).unknownAccounts).toEqual({ count: 0, markets: [] });
  });

  it("a shock on the never-priced market is refused at shocks.<market>", () => {
    const run = () => stressOfSnapshot(bookSnapshot(book(MIXED)), { "SOL-PERP": -0.2, "BTC-PERP": -0.1 }, 0);
    expect(run).toThrow(RiskInputError);
    try {
      run();
    } catch (e) {
      expect((e as RiskInputError).issues).toEqual([{ path: ["shocks", "SOL-PERP"], message: "no price yet for SOL-PERP" }]);
    }
  });

  it("the fund runway is the priced sub-book's, and names the accounts it leaves out", () => {
    const runway = fundRunway(bookSnapshot(book(MIXED)), 100);
    const priced = fundRunway(bookSnapshot(book(PRICED_ACCOUNTS)), 100);
    expect(runway).toEqual({ coversMove: priced.coversMove, steps: priced.steps, unknownAccounts: { count: 2, markets: ["SOL-PERP"] } });
    expect(runway.coversMove).toBeGreaterThan(0);
    expect(runway.coversMove).toBeLessThan(0.5);
  });

  it("the liquidation map: no map for the never-priced market, and a priced market's map leaves out (and counts) its holders of unknown figures", () => {
    const b = book(MIXED);
    expect(liquidationMapOfSnapshot(bookSnapshot(b, { market: "SOL-PERP" }), "SOL-PERP")).toEqual({ marketId: "SOL-PERP", markPrice: null, reason: "no price yet" });
    const btc = liquidationMapOfSnapshot(bookSnapshot(b, { market: "BTC-PERP" }), "BTC-PERP");
    const pricedOnly = liquidationMapOfSnapshot(bookSnapshot(book(PRICED_ACCOUNTS), { market: "BTC-PERP" }), "BTC-PERP");
    expect(btc).toEqual({ ...pricedOnly, unknownAccounts: { count: 1, markets: ["SOL-PERP"] } });
    expect(liquidationMapOfSnapshot(bookSnapshot(b, { market: "NOPE" }), "NOPE")).toBeNull();
  });
});
