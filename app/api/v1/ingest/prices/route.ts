import { ingestRoute } from "@/lib/server/ingest/ingest-route";

/** `POST /api/v1/ingest/prices` `{ source, ticks: [{ marketId, price, ts }] }` → `{ accepted, ignored }` (docs/API.md). */
export const POST = ingestRoute(
  (ingest, body) => ingest.prices(body),
  (r) => ({ accepted: r.accepted, ignored: r.ignored }),
);
