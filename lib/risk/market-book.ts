import type { MarketBook } from "./account-input";
import { compileMarket } from "./compile-market";
import type { MarketParams } from "./market-params";

/** Compiles every market (validated beforehand) into a book keyed by market id. */
export function buildMarketBook(markets: readonly MarketParams[]): MarketBook {
  const book = new Map<string, ReturnType<typeof compileMarket>>();
  for (const m of markets) book.set(m.id, compileMarket(m));
  return book;
}
