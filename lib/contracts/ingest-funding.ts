import { z } from "zod";
import { BOUNDS } from "@/lib/contracts/bounds";
import { decimalSchema } from "@/lib/contracts/ingest-collateral";
import { textSchema } from "@/lib/contracts/text";
import { timestampSchema } from "@/lib/contracts/ingest-prices";
import { expected } from "@/lib/contracts/zod-issues";

/**
 * `POST /api/v1/ingest/funding` (spec §7): every position in `marketId` moves
 * `−qty × markPrice × rate` of collateral (longs pay a positive rate). One event per market and
 * `ts`: a replay is a no-op.
 */
export const ingestFundingSchema = z.object({
  marketId: textSchema(64),
  /** Signed funding rate of the period, e.g. 0.0001. */
  rate: decimalSchema().refine((r) => Math.abs(Number(r)) < BOUNDS.fundingRate.maxAbs, { error: "must be between -1 and 1 (exclusive)" }),
  markPrice: decimalSchema({ sign: "positive", range: { min: BOUNDS.price.min, max: BOUNDS.price.max, unit: "USD" } }),
  /** Epoch ms or ISO 8601 with a zone; normalised to epoch ms. */
  ts: timestampSchema,
}, { error: expected("a JSON object") });
export type IngestFunding = z.infer<typeof ingestFundingSchema>;
export type IngestFundingInput = z.input<typeof ingestFundingSchema>;
