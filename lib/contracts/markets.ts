import { z } from "zod";

export const sourcePriceSchema = z.object({
  source: z.string(),
  price: z.number(),
  /** Epoch ms the source wrote on its latest price (its sequence). */
  ts: z.number(),
  /** Epoch ms (server clock) the server received it: its age and freshness are measured from this. */
  receivedAt: z.number(),
  /** Received within `staleAfterMs`: counts in the median. */
  fresh: z.boolean(),
});

export const markPointSchema = z.object({ ts: z.number(), mark: z.number() });

/** A market as the browser sees it: parameters for display, the mark, its sources and recent marks. */
export const marketViewSchema = z.object({
  id: z.string(),
  baseAsset: z.string(),
  tickSize: z.number(),
  lotSize: z.number(),
  mark: z.number().nullable(),
  /**
   * Epoch ms (server clock) the newest source price behind `mark` was received — after a restart,
   * the persisted mark's time: what its age is measured from. null with `mark` (never priced).
   */
  markTs: z.number().nullable(),
  stale: z.boolean(),
  sources: z.array(sourcePriceSchema),
  history: z.array(markPointSchema),
});
export type MarketView = z.infer<typeof marketViewSchema>;

export const marketsResponseSchema = z.object({
  /** Sequence number of the socket stream this snapshot corresponds to. */
  seq: z.number(),
  serverTime: z.number(),
  markets: z.array(marketViewSchema),
});
export type MarketsResponse = z.infer<typeof marketsResponseSchema>;

/** One market's change in a socket delta. */
export const markUpdateSchema = z.object({
  marketId: z.string(),
  mark: z.number().nullable(),
  markTs: z.number().nullable(),
  stale: z.boolean(),
  sources: z.array(sourcePriceSchema),
});
export type MarkUpdate = z.infer<typeof markUpdateSchema>;
