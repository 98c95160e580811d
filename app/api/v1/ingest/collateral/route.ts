import { ingestRoute } from "@/lib/server/ingest/ingest-route";

/**
 * `POST /api/v1/ingest/collateral` `{ entries: [{ accountId, amount, kind, idempotencyKey, note? }] }`
 * → `{ accepted, replayed, entries: [{ idempotencyKey, id, balanceAfter }] }` (docs/API.md).
 */
export const POST = ingestRoute(
  (ingest, body) => ingest.collateral(body),
  (r) => ({
    accepted: r.applied.length,
    replayed: r.replayed,
    entries: r.applied.map((e) => ({ idempotencyKey: e.idempotencyKey, id: e.id, balanceAfter: e.balanceAfter })),
  }),
);
