-- CreateEnum
CREATE TYPE "margin_mode" AS ENUM ('cross', 'isolated');

-- AlterEnum
ALTER TYPE "collateral_kind" ADD VALUE 'isolated_margin';

-- AlterTable
ALTER TABLE "markets" ADD COLUMN     "maintenance_fee_rate" DECIMAL(38,18) NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "positions" ADD COLUMN     "isolated_margin" DECIMAL(38,18),
ADD COLUMN     "margin_mode" "margin_mode" NOT NULL DEFAULT 'cross';

-- AlterTable
ALTER TABLE "collateral_ledger" ADD COLUMN     "market_id" TEXT;

-- Written by hand (Prisma does not model checks; see the Position and Market models).
-- Spec §11: an isolated position has its own margin, a cross one has none.
ALTER TABLE "positions" ADD CONSTRAINT "positions_isolated_margin_mode" CHECK (
  ("margin_mode" = 'cross' AND "isolated_margin" IS NULL) OR
  ("margin_mode" = 'isolated' AND "isolated_margin" IS NOT NULL));

-- Spec §11: maintenanceFeeRate in [0, 1).
ALTER TABLE "markets" ADD CONSTRAINT "markets_maintenance_fee_rate_range" CHECK (
  "maintenance_fee_rate" >= 0 AND "maintenance_fee_rate" < 1);
