-- Ingest idempotency keys get a namespace of their own (lib/server/ingest/persist-collateral.ts,
-- ingestLedgerKey): the ledger's one unique index also holds the keys the server derives
-- (`topup:<userId>:<key>`, `funding:<eventId>:<accountId>`, `liquidation:<step>:<kind>`), and a
-- feed's key `topup:<userId>:k` pre-empted that user's top-up with key `k`. Every entry a feed
-- wrote (the kinds only the ingest API writes) keeps its key as `ingest:<key>`, as new ones are.
UPDATE "collateral_ledger"
   SET "idempotency_key" = 'ingest:' || "idempotency_key"
 WHERE "kind" IN ('deposit', 'withdrawal', 'adjustment');
