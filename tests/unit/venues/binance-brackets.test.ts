// Binance's published leverage brackets (tests/fixtures/venues/README.md names the sources) mapped
// onto spec §2, and every way a table is refused: a tampered cum, a gap, an overlap, NaN, a wrong shape.
import { describe, expect, it } from "vitest";
import { compileMarket, maintenanceMargin } from "@/lib/risk";
import { parseBinanceBrackets, parseJsonText, VenueInputError } from "@/lib/venues";
import { fixture } from "./fixtures";

function refusal(json: unknown): string {
  try {
    parseBinanceBrackets(json);
  } catch (error) {
    expect(error).toBeInstanceOf(VenueInputError);
    return (error as Error).message;
  }
  throw new Error("not refused");
}

describe("parseBinanceBrackets", () => {
  it("maps the published BTCUSDT brackets onto §2: caps, rates, leverage; the last bracket unbounded", () => {
    const [btc, mana] = parseBinanceBrackets(fixture("binance-leverage-brackets.json"));
    expect(btc!.symbol).toBe("BTCUSDT");
    expect(btc!.tiers).toHaveLength(10);
    expect(btc!.tiers.slice(0, 3)).toEqual([
      { maxNotional: 50_000, mmr: 0.004, maxLeverage: 125 },
      { maxNotional: 250_000, mmr: 0.005, maxLeverage: 100 },
      { maxNotional: 1_000_000, mmr: 0.01, maxLeverage: 50 },
    ]);
    expect(btc!.tiers[9]).toEqual({ maxNotional: null, mmr: 0.5, maxLeverage: 1 });
    expect(mana!.tiers[5]).toEqual({ maxNotional: null, mmr: 0.5, maxLeverage: 1 });
  });

  it("the maintenance margin of the imported tiers is Binance's N·mmr − cum (published amounts)", () => {
    const [btc] = parseBinanceBrackets(fixture("binance-leverage-brackets.json"));
    const market = compileMarket({ id: "BTC-PERP", lotSize: 0.001, tickSize: 0.1, liquidationFeeRate: 0.001, tiers: btc!.tiers, liquidity: { halfSpreadBps: 1, depthPer1Pct: 1e6 } });
    // 2,000,000 USD is in bracket 4 (mmr 2.5%, cum 16,300): 50,000 − 16,300 = 33,700.
    expect(maintenanceMargin(market, 2_000_000)).toBeCloseTo(33_700, 6);
    // 60,000,000 in bracket 7 (12.5%, cum 2,516,300).
    expect(maintenanceMargin(market, 60_000_000)).toBeCloseTo(60_000_000 * 0.125 - 2_516_300, 4);
  });

  it("accepts the single-symbol answer (an object) and numbers written as strings", () => {
    const json = fixture("binance-leverage-brackets.json")[0];
    json.brackets[1].cum = "50";
    json.brackets[1].maintMarginRatio = "0.0050";
    const [btc] = parseBinanceBrackets(json);
    expect(btc!.tiers[1]).toEqual({ maxNotional: 250_000, mmr: 0.005, maxLeverage: 100 });
  });

  it("a tampered cum stops the import naming the symbol and bracket, with the amount §2 derives", () => {
    const json = fixture("binance-leverage-brackets.json");
    json[0].brackets[2].cum = 1300.01;
    expect(refusal(json)).toBe("[0].brackets[2].cum: BTCUSDT bracket 3: cum 1300.01 is not the maintenance amount spec §2 derives from the brackets (1300)");
  });

  it("a cum off by the smallest decimal step is refused: the check is exact, not within a tolerance", () => {
    const json = fixture("binance-leverage-brackets.json");
    json[1].brackets[5].cum = 386950.0000001;
    expect(refusal(json)).toMatch(/^\[1\]\.brackets\[5\]\.cum: MANAUSDT bracket 6: cum 386950\.0000001 is not .* \(386950\)$/);
  });

  it("a gap between brackets is refused naming the bracket", () => {
    const json = fixture("binance-leverage-brackets.json");
    json[0].brackets[3].notionalFloor = 1_000_001;
    expect(refusal(json)).toBe("[0].brackets[3].notionalFloor: BTCUSDT bracket 4: a gap or overlap: notionalFloor 1000001 must equal the notionalCap 1000000 of bracket 3");
  });

  it("an overlap, a first bracket not from 0, a cap not above its floor, brackets out of order", () => {
    let json = fixture("binance-leverage-brackets.json");
    json[0].brackets[1].notionalFloor = 40_000;
    expect(refusal(json)).toMatch(/^\[0\]\.brackets\[1\]\.notionalFloor: BTCUSDT bracket 2: a gap or overlap/);
    json = fixture("binance-leverage-brackets.json");
    json[0].brackets[0].notionalFloor = 10;
    expect(refusal(json)).toMatch(/^\[0\]\.brackets\[0\]\.notionalFloor: BTCUSDT bracket 1: the first bracket must start at notional 0/);
    json = fixture("binance-leverage-brackets.json");
    json[0].brackets[0].notionalCap = 0;
    expect(refusal(json)).toMatch(/^\[0\]\.brackets\[0\]\.notionalCap: BTCUSDT bracket 1: notionalCap 0 must be above notionalFloor 0/);
    json = fixture("binance-leverage-brackets.json");
    [json[0].brackets[0], json[0].brackets[1]] = [json[0].brackets[1], json[0].brackets[0]];
    expect(refusal(json)).toMatch(/^\[0\]\.brackets\[0\]\.bracket: BTCUSDT: brackets must be numbered 1, 2, … in order; found 2 in position 1/);
  });

  it("NaN, Infinity, a missing field, a rate ≥ 1: refused naming the field", () => {
    let json = fixture("binance-leverage-brackets.json");
    json[0].brackets[4].maintMarginRatio = "NaN";
    expect(refusal(json)).toBe('[0].brackets[4].maintMarginRatio: must be a finite number (got "NaN")');
    expect(refusal(parseJsonText('[{"symbol":"X","brackets":[{"bracket":1,"initialLeverage":1e999,"notionalCap":1,"notionalFloor":0,"maintMarginRatio":0.1,"cum":0}]}]')))
      .toBe("[0].brackets[0].initialLeverage: must be a finite number (got Infinity)");
    json = fixture("binance-leverage-brackets.json");
    delete json[1].brackets[0].cum;
    expect(refusal(json)).toBe("[1].brackets[0].cum: missing (a number)");
    json = fixture("binance-leverage-brackets.json");
    json[1].brackets[5].maintMarginRatio = 1;
    expect(refusal(json)).toMatch(/^\[1\]\.brackets\[5\]\.maintMarginRatio: MANAUSDT bracket 6: must be a rate in \[0, 1\)/);
  });

  it("wrong shapes: not an array, no symbols, a duplicate symbol, no brackets; not JSON at all", () => {
    expect(refusal({ brackets: [] })).toMatch(/^\(body\): must be the leverage-bracket answer/);
    expect(refusal([])).toBe("(body): lists no symbol");
    const json = fixture("binance-leverage-brackets.json");
    json[1].symbol = "BTCUSDT";
    expect(refusal(json)).toBe("[1].symbol: BTCUSDT is listed twice (also at [0])");
    expect(refusal([{ symbol: "BTCUSDT", brackets: [] }])).toBe("[0].brackets: BTCUSDT: must list at least one bracket");
    expect(() => parseJsonText("[{ symbol: BTCUSDT }]")).toThrow(/^\(body\): not JSON: /);
  });
});
