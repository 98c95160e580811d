import { ingestRoute } from "@/lib/server/ingest/ingest-route";

/** `POST /api/v1/ingest/funding` `{ marketId, rate, markPrice, ts }` → `{ applied, eventId, entries }` (docs/API.md). */
export const POST = ingestRoute(
  (ingest, body) => ingest.funding(body),
  (r) => ({ applied: r.applied, eventId: r.eventId, entries: r.deltas.length }),
);
