-- CreateEnum
CREATE TYPE "collateral_kind" AS ENUM ('deposit', 'withdrawal', 'topup', 'realized_pnl', 'funding', 'liquidation_fee', 'insurance_payment', 'adjustment');

-- CreateEnum
CREATE TYPE "margin_status" AS ENUM ('healthy', 'warning', 'liquidatable', 'backstop', 'bankrupt');

-- CreateEnum
CREATE TYPE "side" AS ENUM ('buy', 'sell');

-- CreateEnum
CREATE TYPE "liquidation_mode" AS ENUM ('partial', 'full');

-- CreateEnum
CREATE TYPE "insurance_fund_kind" AS ENUM ('deposit', 'fee', 'deficit_payment', 'uncovered_bad_debt');

-- CreateEnum
CREATE TYPE "user_role" AS ENUM ('desk', 'trader');

-- CreateEnum
CREATE TYPE "ingest_kind" AS ENUM ('price', 'position', 'funding', 'collateral');

-- CreateTable
CREATE TABLE "markets" (
    "id" TEXT NOT NULL,
    "base_asset" TEXT NOT NULL,
    "lot_size" DECIMAL(38,18) NOT NULL,
    "tick_size" DECIMAL(38,18) NOT NULL,
    "liquidation_fee_rate" DECIMAL(38,18) NOT NULL,
    "tiers" JSONB NOT NULL,
    "half_spread_bps" DECIMAL(38,18) NOT NULL,
    "depth_per_1pct" DECIMAL(38,18) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "markets_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "accounts" (
    "id" TEXT NOT NULL,
    "label" TEXT,
    "collateral" DECIMAL(38,18) NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "accounts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "positions" (
    "account_id" TEXT NOT NULL,
    "market_id" TEXT NOT NULL,
    "qty" DECIMAL(38,18) NOT NULL,
    "entry_price" DECIMAL(38,18) NOT NULL,
    "source" TEXT NOT NULL,
    "last_seq" BIGINT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "positions_pkey" PRIMARY KEY ("account_id","market_id")
);

-- CreateTable
CREATE TABLE "collateral_ledger" (
    "id" BIGSERIAL NOT NULL,
    "account_id" TEXT NOT NULL,
    "kind" "collateral_kind" NOT NULL,
    "amount" DECIMAL(38,18) NOT NULL,
    "balance_after" DECIMAL(38,18) NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "note" TEXT,
    "liquidation_event_id" BIGINT,
    "funding_event_id" BIGINT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "collateral_ledger_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "latest_prices" (
    "market_id" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "price" DECIMAL(38,18) NOT NULL,
    "ts" TIMESTAMPTZ(3) NOT NULL,
    "seq" BIGINT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "latest_prices_pkey" PRIMARY KEY ("market_id","source")
);

-- CreateTable
CREATE TABLE "price_ticks_1s" (
    "market_id" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "bucket" TIMESTAMPTZ(3) NOT NULL,
    "open" DECIMAL(38,18) NOT NULL,
    "high" DECIMAL(38,18) NOT NULL,
    "low" DECIMAL(38,18) NOT NULL,
    "close" DECIMAL(38,18) NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "price_ticks_1s_pkey" PRIMARY KEY ("market_id","source","bucket")
);

-- CreateTable
CREATE TABLE "funding_events" (
    "id" BIGSERIAL NOT NULL,
    "market_id" TEXT NOT NULL,
    "rate" DECIMAL(38,18) NOT NULL,
    "mark_price" DECIMAL(38,18) NOT NULL,
    "ts" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "funding_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "margin_snapshots" (
    "id" BIGSERIAL NOT NULL,
    "account_id" TEXT NOT NULL,
    "ts" TIMESTAMPTZ(3) NOT NULL,
    "collateral" DECIMAL(38,18) NOT NULL,
    "equity" DECIMAL(38,18) NOT NULL,
    "maintenance_margin" DECIMAL(38,18) NOT NULL,
    "margin_ratio" DOUBLE PRECISION,
    "status" "margin_status" NOT NULL,

    CONSTRAINT "margin_snapshots_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "liquidation_events" (
    "id" BIGSERIAL NOT NULL,
    "account_id" TEXT NOT NULL,
    "market_id" TEXT NOT NULL,
    "side" "side" NOT NULL,
    "qty" DECIMAL(38,18) NOT NULL,
    "price" DECIMAL(38,18) NOT NULL,
    "mark_price" DECIMAL(38,18) NOT NULL,
    "notional" DECIMAL(38,18) NOT NULL,
    "fee" DECIMAL(38,18) NOT NULL,
    "slippage" DECIMAL(38,18) NOT NULL,
    "realized_pnl" DECIMAL(38,18) NOT NULL,
    "deficit" DECIMAL(38,18) NOT NULL,
    "mode" "liquidation_mode" NOT NULL,
    "executed_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "liquidation_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "insurance_fund_ledger" (
    "id" BIGSERIAL NOT NULL,
    "kind" "insurance_fund_kind" NOT NULL,
    "amount" DECIMAL(38,18) NOT NULL,
    "balance_after" DECIMAL(38,18) NOT NULL,
    "liquidation_event_id" BIGINT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "insurance_fund_ledger_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "users" (
    "id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "role" "user_role" NOT NULL,
    "password_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "user_accounts" (
    "user_id" TEXT NOT NULL,
    "account_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "user_accounts_pkey" PRIMARY KEY ("user_id","account_id")
);

-- CreateTable
CREATE TABLE "audit_log" (
    "id" BIGSERIAL NOT NULL,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "account_id" TEXT,
    "note" TEXT,
    "details" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ingest_tokens" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "ingest_tokens_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ingest_cursors" (
    "source" TEXT NOT NULL,
    "kind" "ingest_kind" NOT NULL,
    "key" TEXT NOT NULL,
    "last_seq" BIGINT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ingest_cursors_pkey" PRIMARY KEY ("source","kind","key")
);

-- CreateIndex
CREATE INDEX "positions_market_id_idx" ON "positions"("market_id");

-- CreateIndex
CREATE UNIQUE INDEX "collateral_ledger_idempotency_key_key" ON "collateral_ledger"("idempotency_key");

-- CreateIndex
CREATE INDEX "collateral_ledger_account_id_created_at_idx" ON "collateral_ledger"("account_id", "created_at");

-- CreateIndex
CREATE INDEX "collateral_ledger_liquidation_event_id_idx" ON "collateral_ledger"("liquidation_event_id");

-- CreateIndex
CREATE INDEX "collateral_ledger_funding_event_id_idx" ON "collateral_ledger"("funding_event_id");

-- CreateIndex
CREATE INDEX "price_ticks_1s_market_id_bucket_idx" ON "price_ticks_1s"("market_id", "bucket");

-- CreateIndex
CREATE UNIQUE INDEX "funding_events_market_id_ts_key" ON "funding_events"("market_id", "ts");

-- CreateIndex
CREATE INDEX "margin_snapshots_account_id_ts_idx" ON "margin_snapshots"("account_id", "ts");

-- CreateIndex
CREATE INDEX "liquidation_events_account_id_executed_at_idx" ON "liquidation_events"("account_id", "executed_at");

-- CreateIndex
CREATE INDEX "liquidation_events_executed_at_idx" ON "liquidation_events"("executed_at");

-- CreateIndex
CREATE INDEX "insurance_fund_ledger_created_at_idx" ON "insurance_fund_ledger"("created_at");

-- CreateIndex
CREATE INDEX "insurance_fund_ledger_liquidation_event_id_idx" ON "insurance_fund_ledger"("liquidation_event_id");

-- CreateIndex
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

-- CreateIndex
CREATE INDEX "user_accounts_account_id_idx" ON "user_accounts"("account_id");

-- CreateIndex
CREATE INDEX "audit_log_created_at_idx" ON "audit_log"("created_at");

-- CreateIndex
CREATE INDEX "audit_log_account_id_created_at_idx" ON "audit_log"("account_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "ingest_tokens_token_hash_key" ON "ingest_tokens"("token_hash");

-- AddForeignKey
ALTER TABLE "positions" ADD CONSTRAINT "positions_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "positions" ADD CONSTRAINT "positions_market_id_fkey" FOREIGN KEY ("market_id") REFERENCES "markets"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "collateral_ledger" ADD CONSTRAINT "collateral_ledger_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "collateral_ledger" ADD CONSTRAINT "collateral_ledger_liquidation_event_id_fkey" FOREIGN KEY ("liquidation_event_id") REFERENCES "liquidation_events"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "collateral_ledger" ADD CONSTRAINT "collateral_ledger_funding_event_id_fkey" FOREIGN KEY ("funding_event_id") REFERENCES "funding_events"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "latest_prices" ADD CONSTRAINT "latest_prices_market_id_fkey" FOREIGN KEY ("market_id") REFERENCES "markets"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "price_ticks_1s" ADD CONSTRAINT "price_ticks_1s_market_id_fkey" FOREIGN KEY ("market_id") REFERENCES "markets"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "funding_events" ADD CONSTRAINT "funding_events_market_id_fkey" FOREIGN KEY ("market_id") REFERENCES "markets"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "margin_snapshots" ADD CONSTRAINT "margin_snapshots_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "liquidation_events" ADD CONSTRAINT "liquidation_events_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "liquidation_events" ADD CONSTRAINT "liquidation_events_market_id_fkey" FOREIGN KEY ("market_id") REFERENCES "markets"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "insurance_fund_ledger" ADD CONSTRAINT "insurance_fund_ledger_liquidation_event_id_fkey" FOREIGN KEY ("liquidation_event_id") REFERENCES "liquidation_events"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "user_accounts" ADD CONSTRAINT "user_accounts_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "user_accounts" ADD CONSTRAINT "user_accounts_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
