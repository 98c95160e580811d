-- CreateEnum
CREATE TYPE "alert_rule_kind" AS ENUM ('status_enter', 'ratio_above', 'market_stale', 'fund_runway_below', 'uncovered_bad_debt', 'negative_collateral', 'queue_notional_above', 'margin_call_expired', 'webhook_disabled');

-- CreateEnum
CREATE TYPE "alert_severity" AS ENUM ('info', 'warning', 'critical');

-- CreateEnum
CREATE TYPE "alert_scope" AS ENUM ('all', 'market', 'accounts');

-- CreateEnum
CREATE TYPE "alert_state" AS ENUM ('open', 'acknowledged', 'resolved');

-- CreateTable
CREATE TABLE "alert_rules" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "alert_rule_kind" NOT NULL,
    "severity" "alert_severity" NOT NULL,
    "params" JSONB NOT NULL,
    "scope" "alert_scope" NOT NULL DEFAULT 'all',
    "market_id" TEXT,
    "account_ids" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "system" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "alert_rules_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alerts" (
    "id" BIGSERIAL NOT NULL,
    "rule_id" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "account_id" TEXT,
    "market_id" TEXT,
    "severity" "alert_severity" NOT NULL,
    "state" "alert_state" NOT NULL DEFAULT 'open',
    "message" TEXT NOT NULL,
    "value" DOUBLE PRECISION,
    "raised_at" TIMESTAMPTZ(3) NOT NULL,
    "acknowledged_at" TIMESTAMPTZ(3),
    "acknowledged_by" TEXT,
    "ack_note" TEXT,
    "snoozed_until" TIMESTAMPTZ(3),
    "assignee_id" TEXT,
    "resolved_at" TIMESTAMPTZ(3),
    "resolved_by" TEXT,
    "resolve_note" TEXT,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "alerts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alert_events" (
    "id" BIGSERIAL NOT NULL,
    "alert_id" BIGINT NOT NULL,
    "kind" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "note" TEXT,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "alert_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "alerts_state_raised_at_idx" ON "alerts"("state", "raised_at");

-- CreateIndex
CREATE INDEX "alerts_account_id_raised_at_idx" ON "alerts"("account_id", "raised_at");

-- CreateIndex
CREATE INDEX "alert_events_alert_id_id_idx" ON "alert_events"("alert_id", "id");

-- AddForeignKey
ALTER TABLE "alerts" ADD CONSTRAINT "alerts_rule_id_fkey" FOREIGN KEY ("rule_id") REFERENCES "alert_rules"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "alert_events" ADD CONSTRAINT "alert_events_alert_id_fkey" FOREIGN KEY ("alert_id") REFERENCES "alerts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- At most one unresolved alert per rule and subject (see the Alert model): a raise that finds one
-- does nothing, so a retried raise, a restart or a second instance never doubles an alert.
CREATE UNIQUE INDEX "alerts_one_unresolved" ON "alerts"("rule_id", "subject") WHERE "state" <> 'resolved';
