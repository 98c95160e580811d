import { z } from "zod";
import { BOUNDS, boundText } from "@/lib/risk/bounds";
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
  /** Signed funding rate of the period, e.g. 0.0001; never 0, |rate| in [1e-12, 1). */
  rate: decimalSchema({ sign: "nonzero" }).superRefine((r, ctx) => {
    const abs = Math.abs(Number(r));
    if (abs >= BOUNDS.fundingRate.maxAbs || abs < BOUNDS.fundingRate.minAbs) {
      ctx.addIssue({ code: "custom", message: `|rate| must be at least ${boundText(BOUNDS.fundingRate.minAbs)} and below ${BOUNDS.fundingRate.maxAbs} (got ${r})` });
    }
  }),
  markPrice: decimalSchema({ sign: "positive", range: { min: BOUNDS.price.min, max: BOUNDS.price.max, unit: "USD" } }),
  /** Epoch ms or ISO 8601 with a zone; normalised to epoch ms. At most maxClockSkewMs ahead of the server's clock (checked by the server). */
  ts: timestampSchema,
}, { error: expected("a JSON object") });
export type IngestFunding = z.infer<typeof ingestFundingSchema>;
export type IngestFundingInput = z.input<typeof ingestFundingSchema>;
