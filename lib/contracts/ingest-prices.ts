import { z } from "zod";

export const MAX_BATCH_ITEMS = 10_000;

/** A timestamp as epoch milliseconds or an ISO 8601 string with a zone; normalised to epoch ms. */
export const timestampSchema = z.union([
  z.number().int().positive(),
  z.iso.datetime({ offset: true }).transform((s) => Date.parse(s)),
]);

export const priceTickSchema = z.object({
  marketId: z.string().min(1).max(64),
  price: z.number().positive().finite(),
  ts: timestampSchema,
});

export const ingestPricesSchema = z.object({
  source: z.string().min(1).max(64),
  ticks: z.array(priceTickSchema).min(1).max(MAX_BATCH_ITEMS),
});
export type IngestPrices = z.infer<typeof ingestPricesSchema>;
export type IngestPricesInput = z.input<typeof ingestPricesSchema>;
