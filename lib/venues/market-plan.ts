import { validateMarket, type MarketParams, type TierParams } from "@/lib/risk";
import { decimalAt, fail, VenueDecimal } from "./venue-input";
import type { Venue, VenueTable } from "./venue-table";

/** A market's stored fields as decimal text (the columns are `Decimal(38,18)`), its tiers as §2 numbers. */
export interface MarketRecord {
  id: string;
  baseAsset: string;
  lotSize: string;
  tickSize: string;
  liquidationFeeRate: string;
  /** Spec §11's closing fee in maintenance (0: sections 2–6). */
  maintenanceFeeRate: string;
  halfSpreadBps: string;
  depthPer1Pct: string;
  tiers: TierParams[];
}

/** The fields a venue's tier table does not give, and the command's flag for each (new markets only). */
export const FIELD_FLAGS = {
  lotSize: "--lot-size",
  tickSize: "--tick-size",
  liquidationFeeRate: "--liquidation-fee-rate",
  maintenanceFeeRate: "--maintenance-fee-rate",
  halfSpreadBps: "--half-spread-bps",
  depthPer1Pct: "--depth-per-1pct",
} as const;
export type FlagField = keyof typeof FIELD_FLAGS;

export interface ImportOptions {
  /** Venue symbol → market id, overriding the default rule (`--map BTCUSDT=BTC-PERP`). */
  map?: ReadonlyMap<string, string>;
  /** Only these venue symbols (`--symbols BTCUSDT,ETHUSDT`); every symbol of the file when absent. */
  symbols?: readonly string[];
  /** Flag values as the desk typed them: the fields of a new market. An existing market keeps its own (an import changes its tiers only). */
  fields?: Partial<Record<FlagField, string>>;
}

export interface PlannedMarket {
  id: string;
  venue: Venue;
  symbol: string;
  /** null: a new market. */
  before: MarketRecord | null;
  after: MarketRecord;
  /** The fields whose value changes (all of them for a new market); empty: the import leaves it as it is. */
  changed: (keyof MarketRecord)[];
}

const MARKET_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * The market id of a venue symbol when no `--map` names one: Binance `<BASE>USDT` → `<BASE>-PERP`
 * (BTCUSDT → BTC-PERP; a USDC pair, a dated contract and anything else need `--map`), Hyperliquid
 * `<NAME>` → `<NAME>-PERP` (BTC → BTC-PERP). null when the rule does not apply.
 */
export function defaultMarketId(venue: Venue, symbol: string): string | null {
  const base = venue === "binance" ? /^([A-Z0-9]+)USDT$/.exec(symbol)?.[1] : /^([A-Za-z0-9]+)$/.exec(symbol)?.[1];
  return base ? `${base}-PERP` : null;
}

/** The base asset of a new market: its id without the `-PERP` suffix (or up to its first `-`). */
export function baseAssetOf(marketId: string): string {
  return marketId.endsWith("-PERP") ? marketId.slice(0, -5) : marketId.split("-")[0]!;
}

/**
 * What importing `tables` does to the markets `existing`: one planned market per selected symbol,
 * its tiers the venue's, every other field the existing market's; a new market's from the flags
 * (or the file: Hyperliquid's lot size). Each result is checked by lib/risk
 * `validateMarket` (spec §2). Throws `VenueInputError` naming the symbol, market or flag at the
 * first problem; nothing is planned then.
 */
export function planImport(tables: readonly VenueTable[], existing: readonly MarketRecord[], options: ImportOptions = {}): PlannedMarket[] {
  const map = options.map ?? new Map<string, string>();
  const bySymbol = new Map(tables.map((t) => [t.symbol, t]));
  for (const symbol of options.symbols ?? []) if (!bySymbol.has(symbol)) fail(["--symbols"], `${symbol} is not in the file`);
  for (const symbol of map.keys()) if (!bySymbol.has(symbol)) fail(["--map"], `${symbol} is not in the file`);
  const selected = options.symbols ? options.symbols.map((s) => bySymbol.get(s)!) : tables;
  if (selected.length === 0) fail(["--symbols"], "selects no symbol");
  const fields: Partial<Record<FlagField, string>> = {};
  for (const [field, text] of Object.entries(options.fields ?? {}) as [FlagField, string | undefined][]) {
    if (text !== undefined) fields[field] = decimalAt(text, [FIELD_FLAGS[field]]).toFixed();
  }
  const stored = new Map(existing.map((m) => [m.id, m]));
  const ids = new Map<string, string>();
  return selected.map((table) => {
    const id = map.get(table.symbol) ?? defaultMarketId(table.venue, table.symbol);
    if (id === null) fail([table.where, "symbol"], `no market id for ${table.symbol}: pass --map ${table.symbol}=<MARKET-ID>`);
    if (!MARKET_ID.test(id)) fail(["--map"], `${JSON.stringify(id)} is not a market id (letters, digits, ".", "_", "-"; at most 64)`);
    const other = ids.get(id);
    if (other !== undefined) fail([table.where, "symbol"], `${table.symbol} and ${other} would both be ${id}: pass --map for one of them`);
    ids.set(id, table.symbol);
    return planOne(id, table, stored.get(id) ?? null, fields);
  });
}

function planOne(id: string, table: VenueTable, before: MarketRecord | null, fields: Partial<Record<FlagField, string>>): PlannedMarket {
  const field = (name: FlagField): string => {
    // An existing market keeps its fields (its positions are whole lots of its lot size, its desk
    // chose its fee and depth): the flags are for new markets, which have nothing else.
    const given = before ? before[name] : fields[name] ?? (name === "lotSize" ? table.lotSize : name === "maintenanceFeeRate" ? "0" : undefined);
    if (given === undefined) {
      fail([FIELD_FLAGS[name]], `${id} is a new market and the ${table.venue} table does not give its ${name}: pass ${FIELD_FLAGS[name]}`);
    }
    return given;
  };
  const after: MarketRecord = {
    id,
    baseAsset: before?.baseAsset ?? baseAssetOf(id),
    lotSize: field("lotSize"),
    tickSize: field("tickSize"),
    liquidationFeeRate: field("liquidationFeeRate"),
    maintenanceFeeRate: field("maintenanceFeeRate"),
    halfSpreadBps: field("halfSpreadBps"),
    depthPer1Pct: field("depthPer1Pct"),
    tiers: table.tiers,
  };
  const issues = validateMarket(marketParamsOfRecord(after));
  if (issues.length > 0) {
    const first = issues[0]!;
    fail([id, ...first.path], `${first.message} (${table.venue} ${table.symbol} as market ${id}${issues.length > 1 ? `; ${issues.length - 1} more` : ""})`);
  }
  return { id, venue: table.venue, symbol: table.symbol, before, after, changed: changedFields(before, after) };
}

/** A market record as the risk model's parameters (spec §2). */
export function marketParamsOfRecord(m: MarketRecord): MarketParams {
  return {
    id: m.id,
    lotSize: Number(m.lotSize),
    tickSize: Number(m.tickSize),
    liquidationFeeRate: Number(m.liquidationFeeRate),
    maintenanceFeeRate: Number(m.maintenanceFeeRate),
    tiers: m.tiers,
    liquidity: { halfSpreadBps: Number(m.halfSpreadBps), depthPer1Pct: Number(m.depthPer1Pct) },
  };
}

const DECIMAL_FIELDS = ["lotSize", "tickSize", "liquidationFeeRate", "maintenanceFeeRate", "halfSpreadBps", "depthPer1Pct"] as const;

function changedFields(before: MarketRecord | null, after: MarketRecord): (keyof MarketRecord)[] {
  if (!before) return ["tiers", ...DECIMAL_FIELDS];
  const changed: (keyof MarketRecord)[] = [];
  if (!sameTiers(before.tiers, after.tiers)) changed.push("tiers");
  for (const f of DECIMAL_FIELDS) if (!new VenueDecimal(before[f]).eq(after[f])) changed.push(f);
  return changed;
}

function sameTiers(a: readonly TierParams[], b: readonly TierParams[]): boolean {
  return a.length === b.length && a.every((t, k) => t.maxNotional === b[k]!.maxNotional && t.mmr === b[k]!.mmr && t.maxLeverage === b[k]!.maxLeverage);
}
