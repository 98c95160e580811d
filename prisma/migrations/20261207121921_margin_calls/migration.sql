-- CreateEnum
CREATE TYPE "margin_call_state" AS ENUM ('open', 'met', 'expired', 'cancelled');

-- CreateTable
CREATE TABLE "margin_calls" (
    "id" BIGSERIAL NOT NULL,
    "account_id" TEXT NOT NULL,
    "amount" DECIMAL(38,18) NOT NULL,
    "suggested_amount" DECIMAL(38,18),
    "message" TEXT NOT NULL,
    "deadline" TIMESTAMPTZ(3) NOT NULL,
    "state" "margin_call_state" NOT NULL DEFAULT 'open',
    "issued_by" TEXT NOT NULL,
    "issuer_name" TEXT NOT NULL,
    "issuer_email" TEXT NOT NULL,
    "issued_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "alert_id" BIGINT,
    "status_at_issue" "margin_status" NOT NULL,
    "ratio_at_issue" DOUBLE PRECISION,
    "ledger_mark" BIGINT NOT NULL,
    "credited" DECIMAL(38,18),
    "closed_at" TIMESTAMPTZ(3),
    "closed_by" TEXT,
    "close_reason" TEXT,
    "close_note" TEXT,
    "expiry_alert_id" BIGINT,

    CONSTRAINT "margin_calls_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "margin_calls_account_id_issued_at_idx" ON "margin_calls"("account_id", "issued_at");

-- AddForeignKey
ALTER TABLE "margin_calls" ADD CONSTRAINT "margin_calls_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "margin_calls" ADD CONSTRAINT "margin_calls_alert_id_fkey" FOREIGN KEY ("alert_id") REFERENCES "alerts"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "margin_calls" ADD CONSTRAINT "margin_calls_expiry_alert_id_fkey" FOREIGN KEY ("expiry_alert_id") REFERENCES "alerts"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Written by hand (Prisma does not model partial indexes or checks; see the MarginCall model).
-- At most one open call per account: a second issue loses the race on this index (409), whatever
-- instance or retry sends it. Also serves "the account's open call" (credits and health checks).
CREATE UNIQUE INDEX "margin_calls_one_open" ON "margin_calls"("account_id") WHERE "state" = 'open';

-- The open calls by deadline: the leader's expiry timer (the nearest deadline) and its sweep of
-- the calls past theirs, and the open calls loaded at start; only open rows, so it stays small.
CREATE INDEX "margin_calls_open_deadline" ON "margin_calls"("deadline") WHERE "state" = 'open';

-- A call asks for something: more than 0 USD.
ALTER TABLE "margin_calls" ADD CONSTRAINT "margin_calls_amount_positive" CHECK ("amount" > 0);
