import "server-only";
import type { IngestPricesResult } from "../ingest/ingest-prices";
import type { ingestCollateral, ingestFunding, persistPositionBatch } from "../ingest/ingest-service";

/**
 * The ingest API's writes, each persisted (committed) before the engine hears it (docs/API.md).
 * Implemented by the runtime (lib/server/runtime.ts): shared by the HTTP API, the simulator and the
 * demo seed.
 */
export interface IngestService {
  prices(body: unknown): Promise<IngestPricesResult>;
  positions(body: unknown): ReturnType<typeof persistPositionBatch>;
  collateral(body: unknown): ReturnType<typeof ingestCollateral>;
  funding(body: unknown): ReturnType<typeof ingestFunding>;
}
