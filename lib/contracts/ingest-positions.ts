import { z } from "zod";
import { MARGIN_MODES } from "@/lib/risk";
import { BOUNDS } from "@/lib/risk/bounds";
import { MAX_BATCH_ITEMS } from "@/lib/contracts/ingest-batch";
import { decimalSchema } from "@/lib/contracts/ingest-collateral";
import { textSchema } from "@/lib/contracts/text";
import { describeValue, expected } from "@/lib/contracts/zod-issues";

/** Largest sequence number: PostgreSQL `bigint`. */
const MAX_SEQ = BOUNDS.seq.max;

/**
 * A per-source sequence number (or timestamp): a non-negative whole number, as a JSON number (a
 * safe integer) or a string of digits (up to 2^63 − 1). Parsed to its canonical decimal string.
 */
export const seqSchema = z
  .union([z.number(), z.string()], { error: expected("a non-negative whole number") })
  .transform((value, ctx) => {
    const ok =
      (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) ||
      (typeof value === "string" && /^\d{1,19}$/.test(value) && BigInt(value) <= MAX_SEQ);
    if (!ok) {
      ctx.addIssue({ code: "custom", message: `must be a non-negative whole number (got ${describeValue(value)})` });
      return z.NEVER;
    }
    return BigInt(value).toString();
  });

/**
 * The full current state of one position; `qty: 0` closes it. `marginMode` (default `cross`) and,
 * for an isolated position, its `isolatedMargin` (USD, >= 0: the collateral assigned to it alone)
 * are part of that state: an update without them makes the position cross.
 */
export const positionUpdateSchema = z
  .object({
    accountId: textSchema(128),
    marketId: textSchema(64),
    /** Signed base quantity (+ long, − short), a whole number of the market's lots. */
    qty: decimalSchema({ range: { max: BOUNDS.qty.maxAbs, unit: "base units" } }),
    /** > 0 for an open position; may be 0 when `qty` is 0. */
    entryPrice: decimalSchema({ sign: "nonnegative", range: { min: BOUNDS.price.min, max: BOUNDS.price.max, unit: "USD" } }),
    seq: seqSchema,
    marginMode: z.enum(MARGIN_MODES, { error: expected(`one of ${MARGIN_MODES.join(", ")}`) }).default("cross"),
    isolatedMargin: decimalSchema({ sign: "nonnegative", range: { max: BOUNDS.collateral.maxAbs, unit: "USD" } }).optional(),
  })
  .superRefine((u, ctx) => {
    if (u.qty !== "0" && u.entryPrice === "0") {
      ctx.addIssue({ code: "custom", path: ["entryPrice"], message: "must be > 0 for an open position (qty ≠ 0)" });
    }
    if (u.marginMode === "isolated" && u.isolatedMargin === undefined) {
      ctx.addIssue({ code: "custom", path: ["isolatedMargin"], message: "is required for an isolated position (marginMode \"isolated\")" });
    }
    if (u.marginMode === "cross" && u.isolatedMargin !== undefined) {
      ctx.addIssue({ code: "custom", path: ["isolatedMargin"], message: "is only for an isolated position: set marginMode \"isolated\" or leave it out" });
    }
  });
export type PositionUpdate = z.infer<typeof positionUpdateSchema>;

/**
 * The source written on a position row changed by the simulated venue's own fill (its lastSeq is
 * the liquidation event's id); reserved, so no feed can be taken for it.
 */
export const LIQUIDATION_SOURCE = "liquidation";

/** `POST /api/v1/ingest/positions`. */
export const ingestPositionsSchema = z.object({
  source: textSchema(64)
    .refine((s) => s !== LIQUIDATION_SOURCE, { error: `"${LIQUIDATION_SOURCE}" is reserved for the venue's own liquidation steps` }),
  updates: z
    .array(positionUpdateSchema, { error: expected("an array of updates") })
    .min(1, { error: "must hold at least one update" })
    .max(MAX_BATCH_ITEMS, { error: `at most ${MAX_BATCH_ITEMS} updates per batch` }),
});
export type IngestPositions = z.infer<typeof ingestPositionsSchema>;
export type IngestPositionsInput = z.input<typeof ingestPositionsSchema>;
