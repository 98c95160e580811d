export { VENUES, type Venue, type VenueTable } from "./venue-table";
export { VenueInputError, parseJsonText } from "./venue-input";
export { parseBinanceBrackets } from "./binance-brackets";
export { parseHyperliquidMeta, HYPERLIQUID_FLAT_TABLES_BELOW } from "./hyperliquid-meta";
export {
  planImport, defaultMarketId, baseAssetOf, marketParamsOfRecord, FIELD_FLAGS,
  type MarketRecord, type PlannedMarket, type ImportOptions, type FlagField,
} from "./market-plan";
export { describePlan } from "./describe-plan";
