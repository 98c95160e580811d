import { z } from "zod";
import { BOUNDS, outOfRange, tooManyDecimals } from "@/lib/risk/bounds";
import { MAX_BATCH_ITEMS } from "@/lib/contracts/ingest-batch";
import { textSchema } from "@/lib/contracts/text";
import { describeValue, expected } from "@/lib/contracts/zod-issues";

/**
 * A timestamp as epoch milliseconds (a whole number in [0, 8.64e15]) or an ISO 8601 string with a
 * zone; normalised to epoch ms.
 */
export const timestampSchema = z
  .union([z.number(), z.iso.datetime({ offset: true }).transform((s) => Date.parse(s))], {
    error: expected("epoch milliseconds or an ISO 8601 time with a zone"),
  })
  .superRefine((ts, ctx) => {
    if (!Number.isInteger(ts) || ts < BOUNDS.ts.min || ts > BOUNDS.ts.max) {
      ctx.addIssue({ code: "custom", message: `must be a whole number of epoch milliseconds in [0, ${BOUNDS.ts.max}] (got ${describeValue(ts)})` });
    }
  });

/**
 * A price as a JSON number, in [BOUNDS.price.min, BOUNDS.price.max] USD with at most 18 decimals as
 * written: PostgreSQL keeps exactly the number the engine uses, never a rounded one.
 */
export const priceSchema = z.number({ error: expected("a finite number") }).superRefine((price, ctx) => {
  const problem = outOfRange(price, BOUNDS.price.min, BOUNDS.price.max, "USD") ?? tooManyDecimals(price);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

export const priceTickSchema = z.object({
  marketId: textSchema(64),
  price: priceSchema,
  ts: timestampSchema,
}, { error: expected("an object { marketId, price, ts }") });

export const ingestPricesSchema = z.object({
  source: textSchema(64),
  ticks: z
    .array(priceTickSchema, { error: expected("an array of ticks") })
    .min(1, { error: "must hold at least one tick" })
    .max(MAX_BATCH_ITEMS, { error: `at most ${MAX_BATCH_ITEMS} ticks per batch` }),
}, { error: expected("a JSON object") });
export type IngestPrices = z.infer<typeof ingestPricesSchema>;
export type IngestPricesInput = z.input<typeof ingestPricesSchema>;
