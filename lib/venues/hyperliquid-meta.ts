import type { TierParams } from "@/lib/risk";
import { decimalAt, fail, integerAt, isObject, stringAt, VenueDecimal, type Path } from "./venue-input";
import type { VenueTable } from "./venue-table";

/** Hyperliquid's margin table ids below this are a single tier at that leverage and are not listed in `marginTables`. */
export const HYPERLIQUID_FLAT_TABLES_BELOW = 50;

interface MarginTier { lowerBound: VenueDecimal; maxLeverage: number }

/**
 * Hyperliquid's `meta` info answer (`POST /info {"type":"meta"}`): `universe` (each perp's `name`,
 * `szDecimals`, `maxLeverage`, `marginTableId`, `isDelisted`) and `marginTables` (pairs
 * `[id, { description, marginTiers: [{ lowerBound, maxLeverage }] }]`), mapped onto spec §2 (§11's
 * last paragraph):
 *
 * - tier k covers notionals from its `lowerBound` to the next tier's (`maxNotional_k =
 *   lowerBound_(k+1)`, the last unbounded); the first starts at 0; bounds strictly ascending;
 * - `maxLeverage` is the tier's, never increasing; `mmr = 1 / (2 * maxLeverage)` (half the initial
 *   margin at that leverage, as the venue defines its maintenance margin);
 * - a perp's table is its `marginTableId`: one listed in `marginTables`, or an id below 50 (a flat
 *   table at that leverage), or none (a flat table at its `maxLeverage`). The perp's `maxLeverage`
 *   must be its table's first tier's: the two would disagree on the margin of a small position;
 * - the lot size is `10^-szDecimals`;
 * - delisted perps are left out (their names are returned in `delisted`).
 *
 * Throws `VenueInputError` (the field's path and why) at the first problem.
 */
export function parseHyperliquidMeta(json: unknown): { tables: VenueTable[]; delisted: string[] } {
  if (!isObject(json)) fail([], "must be the meta answer: an object { universe, marginTables }");
  if (!Array.isArray(json.universe) || json.universe.length === 0) fail(["universe"], "must list at least one perp");
  const marginTables = marginTablesOf(json.marginTables);
  const tables: VenueTable[] = [];
  const delisted: string[] = [];
  const seen = new Set<string>();
  json.universe.forEach((asset: unknown, i) => {
    const at: Path = ["universe", i];
    if (!isObject(asset)) fail(at, "must be an object { name, szDecimals, maxLeverage, marginTableId }");
    const name = stringAt(asset.name, [...at, "name"]);
    if (seen.has(name)) fail([...at, "name"], `${name} is listed twice`);
    seen.add(name);
    const szDecimals = integerAt(asset.szDecimals, [...at, "szDecimals"], 0, 18);
    const maxLeverage = integerAt(asset.maxLeverage, [...at, "maxLeverage"], 1, 10_000);
    if (asset.isDelisted === true) {
      delisted.push(name);
      return;
    }
    let tiers: MarginTier[];
    if (asset.marginTableId === undefined || asset.marginTableId === null) {
      tiers = [{ lowerBound: new VenueDecimal(0), maxLeverage }];
    } else {
      const id = integerAt(asset.marginTableId, [...at, "marginTableId"], 0, Number.MAX_SAFE_INTEGER);
      const listed = marginTables.get(id);
      if (listed) tiers = listed;
      else if (id > 0 && id < HYPERLIQUID_FLAT_TABLES_BELOW) tiers = [{ lowerBound: new VenueDecimal(0), maxLeverage: id }];
      else return fail([...at, "marginTableId"], `${name}: margin table ${id} is not in marginTables`);
    }
    if (tiers[0]!.maxLeverage !== maxLeverage) {
      fail([...at, "maxLeverage"], `${name}: maxLeverage ${maxLeverage} disagrees with its margin table's first tier (${tiers[0]!.maxLeverage}x)`);
    }
    tables.push({
      venue: "hyperliquid", symbol: name, where: `universe[${i}]`,
      tiers: tiers.map((t, k): TierParams => ({
        maxNotional: k === tiers.length - 1 ? null : tiers[k + 1]!.lowerBound.toNumber(),
        mmr: 1 / (2 * t.maxLeverage),
        maxLeverage: t.maxLeverage,
      })),
      lotSize: new VenueDecimal(10).pow(-szDecimals).toFixed(),
    });
  });
  return { tables, delisted };
}

function marginTablesOf(raw: unknown): Map<number, MarginTier[]> {
  const at: Path = ["marginTables"];
  if (raw === undefined) return new Map();
  if (!Array.isArray(raw)) fail(at, "must be an array of [id, { description, marginTiers }]");
  const out = new Map<number, MarginTier[]>();
  raw.forEach((pair: unknown, i) => {
    const p: Path = [...at, i];
    if (!Array.isArray(pair) || pair.length !== 2 || !isObject(pair[1])) fail(p, "must be a pair [id, { description, marginTiers }]");
    const id = integerAt(pair[0], [...p, 0], 0, Number.MAX_SAFE_INTEGER);
    if (out.has(id)) fail([...p, 0], `margin table ${id} is listed twice`);
    const list = (pair[1] as Record<string, unknown>).marginTiers;
    const tp: Path = [...p, 1, "marginTiers"];
    if (!Array.isArray(list) || list.length === 0) fail(tp, `margin table ${id}: must list at least one tier`);
    const tiers = list.map((t: unknown, k): MarginTier => {
      const q: Path = [...tp, k];
      if (!isObject(t)) fail(q, `margin table ${id} tier ${k + 1}: must be an object { lowerBound, maxLeverage }`);
      const lowerBound = decimalAt(t.lowerBound, [...q, "lowerBound"]);
      const maxLeverage = integerAt(t.maxLeverage, [...q, "maxLeverage"], 1, 10_000);
      return { lowerBound, maxLeverage };
    });
    tiers.forEach((t, k) => {
      const q: Path = [...tp, k];
      if (k === 0 && !t.lowerBound.isZero()) fail([...q, "lowerBound"], `margin table ${id}: the first tier must start at 0 (got ${t.lowerBound})`);
      if (k === 0) return;
      const prev = tiers[k - 1]!;
      if (!t.lowerBound.gt(prev.lowerBound)) {
        fail([...q, "lowerBound"], `margin table ${id} tier ${k + 1}: lowerBound ${t.lowerBound} must be above tier ${k}'s (${prev.lowerBound})`);
      }
      if (t.maxLeverage > prev.maxLeverage) {
        fail([...q, "maxLeverage"], `margin table ${id} tier ${k + 1}: maxLeverage ${t.maxLeverage} must not exceed tier ${k}'s (${prev.maxLeverage})`);
      }
    });
    out.set(id, tiers);
  });
  return out;
}
