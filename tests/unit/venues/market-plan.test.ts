// From a venue's table to markets: the id rule, what a new market needs from the flags, what an
// existing one keeps, and lib/risk's validateMarket over the result.
import { describe, expect, it } from "vitest";
import { describePlan, parseBinanceBrackets, parseHyperliquidMeta, planImport, VenueInputError, type MarketRecord } from "@/lib/venues";
import { fixture } from "./fixtures";

const binance = () => parseBinanceBrackets(fixture("binance-leverage-brackets.json"));
const NEW_FIELDS = { tickSize: "0.1", liquidationFeeRate: "0.001", halfSpreadBps: "1", depthPer1Pct: "2000000" };
const BTC: MarketRecord = {
  id: "BTC-PERP", baseAsset: "BTC", lotSize: "0.001", tickSize: "0.1", liquidationFeeRate: "0.001", maintenanceFeeRate: "0", halfSpreadBps: "1", depthPer1Pct: "2000000",
  tiers: [{ maxNotional: 50_000, mmr: 0.004, maxLeverage: 125 }, { maxNotional: null, mmr: 0.025, maxLeverage: 20 }],
};

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(VenueInputError);
    return (error as Error).message;
  }
  throw new Error("not refused");
}

describe("planImport", () => {
  it("an existing market takes the venue's tiers and keeps every other field", () => {
    const [btc] = planImport(binance(), [BTC], { symbols: ["BTCUSDT"] });
    expect(btc!.id).toBe("BTC-PERP");
    expect(btc!.before).toBe(BTC);
    expect(btc!.after).toEqual({ ...BTC, tiers: binance()[0]!.tiers });
    expect(btc!.changed).toEqual(["tiers"]);
  });

  it("importing the same table twice changes nothing the second time", () => {
    const [first] = planImport(binance(), [BTC], { symbols: ["BTCUSDT"] });
    const [second] = planImport(binance(), [first!.after], { symbols: ["BTCUSDT"] });
    expect(second!.changed).toEqual([]);
    expect(describePlan([second!])[0]).toBe("BTC-PERP (binance BTCUSDT): unchanged");
  });

  it("a new market needs the fields the table does not give: refused naming the missing flag", () => {
    expect(refusal(() => planImport(binance(), [BTC], { fields: { ...NEW_FIELDS, tickSize: undefined } })))
      .toBe("--lot-size: MANA-PERP is a new market and the binance table does not give its lotSize: pass --lot-size");
    expect(refusal(() => planImport(binance(), [BTC], { fields: { lotSize: "1", liquidationFeeRate: "0.001", halfSpreadBps: "1", depthPer1Pct: "1e6" } })))
      .toBe("--tick-size: MANA-PERP is a new market and the binance table does not give its tickSize: pass --tick-size");
    const plan = planImport(binance(), [BTC], { fields: { ...NEW_FIELDS, lotSize: "1", tickSize: "0.0001" } });
    expect(plan[1]!.before).toBeNull();
    expect(plan[1]!.after).toMatchObject({ id: "MANA-PERP", baseAsset: "MANA", lotSize: "1", tickSize: "0.0001" });
  });

  it("the closing fee in maintenance (§11): a new market's from --maintenance-fee-rate (0 without it), an existing market keeps its own, and validateMarket judges the tiers with it", () => {
    const plan = planImport(binance(), [BTC], { fields: { ...NEW_FIELDS, lotSize: "1", tickSize: "0.0001" } });
    expect(plan[1]!.after.maintenanceFeeRate).toBe("0");
    const withFee = planImport(binance(), [BTC], { fields: { ...NEW_FIELDS, lotSize: "1", tickSize: "0.0001", maintenanceFeeRate: "0.0005" } });
    expect(withFee[1]!.after.maintenanceFeeRate).toBe("0.0005");
    const feeBtc = { ...BTC, maintenanceFeeRate: "0.0006" };
    const [kept] = planImport(binance(), [feeBtc], { symbols: ["BTCUSDT"], fields: { maintenanceFeeRate: "0.1" } });
    expect(kept!.after.maintenanceFeeRate).toBe("0.0006");
    // Binance's last bracket has mmr 0.5: with a fee of 0.5 no room is left (mmr + fee + liquidation fee ≥ 1).
    expect(refusal(() => planImport(binance(), [{ ...BTC, maintenanceFeeRate: "0.5" }], { symbols: ["BTCUSDT"] }))).toMatch(/^BTC-PERP/);
  });

  it("Hyperliquid's szDecimals gives a new market's lot size", () => {
    const { tables } = parseHyperliquidMeta(fixture("hyperliquid-meta.json"));
    const [eth] = planImport(tables, [], { symbols: ["ETH"], fields: NEW_FIELDS });
    expect(eth!.after).toMatchObject({ id: "ETH-PERP", lotSize: "0.0001", tiers: tables[1]!.tiers });
  });

  it("flags are for new markets: an existing market keeps its fields; validateMarket refuses a result §2 rejects", () => {
    const [kept, created] = planImport(binance(), [BTC], { fields: { ...NEW_FIELDS, lotSize: "1", tickSize: "0.5" } });
    expect(kept!.after).toEqual({ ...BTC, tiers: binance()[0]!.tiers });
    expect(kept!.changed).toEqual(["tiers"]);
    expect([created!.after.lotSize, created!.after.tickSize]).toEqual(["1", "0.5"]);
    // MANAUSDT's first mmr is 0.01: a new market's liquidation fee of 0.01 leaves no room (spec §2).
    expect(refusal(() => planImport(binance(), [BTC], { symbols: ["MANAUSDT"], fields: { ...NEW_FIELDS, lotSize: "1", liquidationFeeRate: "0.01" } })))
      .toMatch(/^MANA-PERP\.liquidationFeeRate: must be below the first tier's mmr \(0\.01\), got 0\.01.*\(binance MANAUSDT as market MANA-PERP\)$/);
    // A table whose first mmr is at or below an existing market's fee is refused too.
    const json = fixture("binance-leverage-brackets.json");
    json[0].brackets[0].maintMarginRatio = 0.001;
    json[0].brackets[1].cum = 200;
    json[0].brackets[2].cum = 1450;
    json[0].brackets[3].cum = 16450;
    for (const [k, cum] of [[4, 266450], [5, 1266450], [6, 2516450], [7, 5016450], [8, 25016450], [9, 100016450]] as const) json[0].brackets[k].cum = cum;
    expect(refusal(() => planImport(parseBinanceBrackets(json), [BTC], { symbols: ["BTCUSDT"] })))
      .toMatch(/^BTC-PERP\.liquidationFeeRate: must be below the first tier's mmr \(0\.001\), got 0\.001/);
    expect(refusal(() => planImport(binance(), [BTC], { symbols: ["BTCUSDT"], fields: { tickSize: "abc" } })))
      .toBe('--tick-size: must be a finite number (got "abc")');
  });

  it("market ids: BTCUSDT → BTC-PERP by rule, --map for anything else, two symbols on one id refused", () => {
    const json = fixture("binance-leverage-brackets.json");
    json[1].symbol = "BTCUSDC";
    const tables = parseBinanceBrackets(json);
    expect(refusal(() => planImport(tables, [BTC], { fields: NEW_FIELDS })))
      .toBe("[1].symbol: no market id for BTCUSDC: pass --map BTCUSDC=<MARKET-ID>");
    expect(refusal(() => planImport(tables, [BTC], { map: new Map([["BTCUSDC", "BTC-PERP"]]) })))
      .toBe("[1].symbol: BTCUSDC and BTCUSDT would both be BTC-PERP: pass --map for one of them");
    const plan = planImport(tables, [BTC], { map: new Map([["BTCUSDC", "BTC-USDC-PERP"]]), fields: { ...NEW_FIELDS, lotSize: "0.001" } });
    expect(plan.map((m) => [m.id, m.after.baseAsset])).toEqual([["BTC-PERP", "BTC"], ["BTC-USDC-PERP", "BTC-USDC"]]);
    expect(refusal(() => planImport(tables, [BTC], { symbols: ["ETHUSDT"] }))).toBe("--symbols: ETHUSDT is not in the file");
    expect(refusal(() => planImport(tables, [BTC], { map: new Map([["BTCUSDT", "BTC PERP"]]) }))).toMatch(/^--map: "BTC PERP" is not a market id/);
  });

  it("describePlan shows each tier before → after", () => {
    const lines = describePlan(planImport(binance(), [BTC], { symbols: ["BTCUSDT"] }));
    expect(lines[0]).toBe("BTC-PERP (binance BTCUSDT): update (tiers)");
    expect(lines[1]).toBe("  tier 1: ≤ 50000 USD, mmr 0.004, 125x  →  ≤ 50000 USD, mmr 0.004, 125x");
    expect(lines[2]).toBe("  tier 2: unbounded, mmr 0.025, 20x  →  ≤ 250000 USD, mmr 0.005, 100x");
    expect(lines[3]).toBe("  tier 3: —  →  ≤ 1000000 USD, mmr 0.01, 50x");
    expect(lines.at(-1)).toBe("1 market(s): 0 new, 1 updated, 0 unchanged");
  });
});
