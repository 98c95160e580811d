import { ingestRoute } from "@/lib/server/ingest/ingest-route";

/**
 * `POST /api/v1/ingest/positions` `{ source, updates: [{ accountId, marketId, qty, entryPrice, seq }] }`
 * → `{ accepted, ignored, newAccounts }` (docs/API.md).
 */
export const POST = ingestRoute(
  (ingest, body) => ingest.positions(body),
  (r) => ({ accepted: r.applied.length, ignored: r.ignored, newAccounts: r.newAccountIds.length }),
);
