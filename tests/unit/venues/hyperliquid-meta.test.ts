// Hyperliquid's published `meta` (tests/fixtures/venues/README.md names the sources) mapped onto
// spec §2 with §11's mmr = 1 / (2 · maxLeverage), and what is refused.
import { describe, expect, it } from "vitest";
import { parseHyperliquidMeta, VenueInputError } from "@/lib/venues";
import { fixture } from "./fixtures";

function refusal(json: unknown): string {
  try {
    parseHyperliquidMeta(json);
  } catch (error) {
    expect(error).toBeInstanceOf(VenueInputError);
    return (error as Error).message;
  }
  throw new Error("not refused");
}

describe("parseHyperliquidMeta", () => {
  it("maps each perp's margin table onto §2: bounds from the next tier's lowerBound, mmr = 1/(2·maxLeverage), lot = 10^-szDecimals", () => {
    const { tables, delisted } = parseHyperliquidMeta(fixture("hyperliquid-meta.json"));
    expect(tables.map((t) => t.symbol)).toEqual(["BTC", "ETH", "HPOS", "SOLX"]);
    expect(delisted).toEqual(["LOOM"]);
    const [btc, eth, hpos, solx] = tables;
    expect(btc!.tiers).toEqual([
      { maxNotional: 150_000_000, mmr: 0.0125, maxLeverage: 40 },
      { maxNotional: null, mmr: 0.025, maxLeverage: 20 },
    ]);
    expect(btc!.lotSize).toBe("0.00001");
    expect(eth!.tiers).toEqual([
      { maxNotional: 100_000_000, mmr: 0.02, maxLeverage: 25 },
      { maxNotional: null, mmr: 1 / 30, maxLeverage: 15 },
    ]);
    // Table 3 is not listed: an id below 50 is one tier at that leverage.
    expect(hpos!.tiers).toEqual([{ maxNotional: null, mmr: 1 / 6, maxLeverage: 3 }]);
    expect(hpos!.lotSize).toBe("1");
    expect(solx!.tiers).toEqual([
      { maxNotional: 3_000_000, mmr: 0.05, maxLeverage: 10 },
      { maxNotional: null, mmr: 0.1, maxLeverage: 5 },
    ]);
  });

  it("a perp without marginTableId is one tier at its maxLeverage", () => {
    const { tables } = parseHyperliquidMeta({ universe: [{ name: "XYZ", szDecimals: 2, maxLeverage: 20 }] });
    expect(tables[0]!.tiers).toEqual([{ maxNotional: null, mmr: 0.025, maxLeverage: 20 }]);
  });

  it("refuses a table id not listed, a perp whose maxLeverage disagrees with its table, tiers out of order or rising leverage", () => {
    let json = fixture("hyperliquid-meta.json");
    json.universe[0].marginTableId = 57;
    expect(refusal(json)).toBe("universe[0].marginTableId: BTC: margin table 57 is not in marginTables");
    json = fixture("hyperliquid-meta.json");
    json.universe[0].maxLeverage = 50;
    expect(refusal(json)).toBe("universe[0].maxLeverage: BTC: maxLeverage 50 disagrees with its margin table's first tier (40x)");
    json = fixture("hyperliquid-meta.json");
    json.marginTables[3][1].marginTiers[1].lowerBound = "0.0";
    expect(refusal(json)).toBe("marginTables[3][1].marginTiers[1].lowerBound: margin table 56 tier 2: lowerBound 0 must be above tier 1's (0)");
    json = fixture("hyperliquid-meta.json");
    json.marginTables[3][1].marginTiers[1].maxLeverage = 45;
    expect(refusal(json)).toBe("marginTables[3][1].marginTiers[1].maxLeverage: margin table 56 tier 2: maxLeverage 45 must not exceed tier 1's (40)");
    json = fixture("hyperliquid-meta.json");
    json.marginTables[3][1].marginTiers[0].lowerBound = "10.0";
    expect(refusal(json)).toBe("marginTables[3][1].marginTiers[0].lowerBound: margin table 56: the first tier must start at 0 (got 10)");
  });

  it("NaN, a fractional leverage, a wrong shape: refused naming the field", () => {
    let json = fixture("hyperliquid-meta.json");
    json.marginTables[1][1].marginTiers[1].lowerBound = "NaN";
    expect(refusal(json)).toBe('marginTables[1][1].marginTiers[1].lowerBound: must be a finite number (got "NaN")');
    json = fixture("hyperliquid-meta.json");
    json.universe[1].maxLeverage = 25.5;
    expect(refusal(json)).toBe("universe[1].maxLeverage: must be a whole number in [1, 10000] (got 25.5)");
    json = fixture("hyperliquid-meta.json");
    json.universe[1].szDecimals = -1;
    expect(refusal(json)).toBe("universe[1].szDecimals: must be a whole number in [0, 18] (got -1)");
    expect(refusal([])).toMatch(/^\(body\): must be the meta answer/);
    expect(refusal({ universe: [] })).toBe("universe: must list at least one perp");
    expect(refusal({ universe: [{ name: "BTC", szDecimals: 5, maxLeverage: 40 }], marginTables: [[56]] })).toBe("marginTables[0]: must be a pair [id, { description, marginTiers }]");
  });
});
