-- CreateTable
CREATE TABLE "market_marks" (
    "market_id" TEXT NOT NULL,
    "mark" DECIMAL(38,18) NOT NULL,
    "computed_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "market_marks_pkey" PRIMARY KEY ("market_id")
);

-- AddForeignKey
ALTER TABLE "market_marks" ADD CONSTRAINT "market_marks_market_id_fkey" FOREIGN KEY ("market_id") REFERENCES "markets"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Backfill: a market priced before this migration starts from the median of its sources' latest
-- prices (none dated ahead of the clock), dated when the newest of them was received (it is then
-- stale, with that age).
INSERT INTO "market_marks" ("market_id", "mark", "computed_at")
SELECT "market_id", (percentile_cont(0.5) WITHIN GROUP (ORDER BY "price"::float8))::numeric, max("updated_at")
  FROM "latest_prices" WHERE "ts" <= now() + interval '5 seconds' GROUP BY "market_id";
