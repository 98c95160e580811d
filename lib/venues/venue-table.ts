import type { TierParams } from "@/lib/risk";

/** The venues whose published tier tables `npm run markets -- import` reads. */
export const VENUES = ["binance", "hyperliquid"] as const;
export type Venue = (typeof VENUES)[number];

/**
 * One symbol's tier table as a venue publishes it, mapped onto spec §2: `tiers` sorted by
 * `maxNotional`, the last unbounded. What else the venue's file says about the symbol, when it
 * says it (Hyperliquid's `szDecimals` is a lot size); everything else of a market comes from the
 * existing market or the command's flags.
 */
export interface VenueTable {
  venue: Venue;
  /** The venue's own name of the symbol ("BTCUSDT", "BTC"). */
  symbol: string;
  /** Where in the file the symbol was read (`[3]`, `universe[0]`): for messages. */
  where: string;
  tiers: TierParams[];
  /** A lot size the file gives (Hyperliquid: 10^-szDecimals), as decimal text. */
  lotSize?: string;
}
