import "server-only";
import { InputError, parseInput } from "@/lib/contracts/api-error";
import { ingestCollateralSchema } from "@/lib/contracts/ingest-collateral";
import { ingestFundingSchema } from "@/lib/contracts/ingest-funding";
import { ingestPositionsSchema, type IngestPositions as PositionBatch } from "@/lib/contracts/ingest-positions";
import type { PrismaClient } from "@/lib/server/db/prisma-client";
import type { IngestRecorder } from "./ingest-recorder";
import { loadMarketLookup, type MarketLookup } from "./market-lookup";
import { persistCollateralEntries, type PersistCollateralResult } from "./persist-collateral";
import { aheadOfClock, clockNow, type ServerClock } from "./ingest-prices";
import { persistFunding, type PersistFundingResult } from "./persist-funding";
import { persistPositionUpdates, type PersistPositionsResult } from "./persist-positions";

/**
 * What the ingest paths need: the database, the known markets (the live engine's, or read from
 * PostgreSQL per batch when omitted) and, when recording is on, the recorder.
 */
export interface IngestDeps {
  prisma: PrismaClient;
  markets?: MarketLookup;
  recorder?: IngestRecorder | null;
}

const marketsOf = async (deps: IngestDeps) => deps.markets ?? (await loadMarketLookup(deps.prisma));

/**
 * `POST /api/v1/ingest/positions`, in two halves (the runtime parses before its account-write queue
 * and persists inside it). This one, the schema (no I/O): a request body as a position batch, or an
 * InputError naming the field.
 */
export function parsePositionBatch(body: unknown): PositionBatch {
  return parseInput(ingestPositionsSchema, body);
}

/**
 * The other half: validate (unknown market, whole lots), persist in one transaction, record;
 * resolves with what was applied, once committed. Tell the engine `applied`.
 */
export async function persistPositionBatch(deps: IngestDeps, batch: PositionBatch): Promise<PersistPositionsResult & { source: string }> {
  const result = await persistPositionUpdates(deps.prisma, batch.source, batch.updates, await marketsOf(deps));
  deps.recorder?.record("positions", batch);
  return { source: batch.source, ...result };
}

/** `POST /api/v1/ingest/collateral`: tell the engine `balances` (each account's collateral after the batch). */
export async function ingestCollateral(deps: IngestDeps, body: unknown): Promise<PersistCollateralResult> {
  const batch = parseInput(ingestCollateralSchema, body);
  const result = await persistCollateralEntries(deps.prisma, batch.entries);
  deps.recorder?.record("collateral", batch);
  return result;
}

/**
 * `POST /api/v1/ingest/funding`: tell the engine each delta's `balanceAfter`. An event dated more
 * than `maxClockSkewMs` ahead of the server's clock is refused, as a price tick is (spec §7).
 */
export async function ingestFunding(deps: IngestDeps, body: unknown, clock: ServerClock = clockNow()): Promise<PersistFundingResult & { marketId: string }> {
  const event = parseInput(ingestFundingSchema, body);
  const fields = [
    ...((await marketsOf(deps))(event.marketId) ? [] : [{ path: "marketId", message: `unknown market "${event.marketId}"` }]),
    ...aheadOfClock(clock, event.ts, "ts"),
  ];
  if (fields.length > 0) throw new InputError(fields);
  const result = await persistFunding(deps.prisma, event);
  if (result.applied) deps.recorder?.record("funding", event);
  return { marketId: event.marketId, ...result };
}
