-- AlterTable
ALTER TABLE "collateral_ledger" ADD COLUMN     "balance" "margin_mode" NOT NULL DEFAULT 'cross';

-- Written by hand: an entry of an isolated margin names its position.
ALTER TABLE "collateral_ledger" ADD CONSTRAINT "collateral_ledger_isolated_balance_market" CHECK (
  "balance" = 'cross' OR "market_id" IS NOT NULL);
