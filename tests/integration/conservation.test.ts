import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Runtime } from "@/lib/server/runtime";
import { generateAccountPopulation } from "@/lib/sim/account-population";
import { PriceSimulator } from "@/lib/sim/price-simulator";
import { seedMarkets } from "@/lib/sim/seed-markets";
import { createTestDatabase, type TestDatabase } from "../support/test-database";
import { engineOf, engineSettled, nextTs, startTestRuntime } from "../support/test-runtime";

const MINUTE = 60_000;

describe("conservation of money over a simulated hour", () => {
  let db: TestDatabase;
  let runtime: Runtime;
  beforeAll(async () => {
    db = await createTestDatabase();
    runtime = await startTestRuntime(db, {}, "50000");
  });
  afterAll(async () => {
    await runtime?.stop();
    await db?.drop();
  });

  it("collateral plus the insurance fund equals deposits + realized PnL + funding, and the fund equals its capital + fees − deficits paid, to the last decimal", async () => {
    const markets = seedMarkets.slice(0, 3);
    const prices = new Map(markets.map((m) => [m.id, m.sim.startPrice]));
    const sim = new PriceSimulator({
      markets, sources: ["src-a", "src-b", "src-c"], tickMs: MINUTE, seed: 11, startPrices: prices,
      // one tick is a simulated minute of a violent market: liquidations of every kind happen
      path: { timeScale: 40, jumpProbability: 0.05, jumpStdDev: 0.03 },
      ingest: (batch) => runtime.services.ingest.prices({ ...batch, ticks: batch.ticks.map((t) => ({ ...t, ts: nextTs() })) }),
      onError: (error) => { throw error; },
    });
    await sim.tick(nextTs());
    const population = generateAccountPopulation({ markets, prices, count: 300, seed: 5 });
    await runtime.services.ingest.collateral({ entries: population.collateral });
    await runtime.services.ingest.positions({ source: "venue", updates: population.positions });

    let clock = Date.now();
    for (let minute = 1; minute <= 60; minute++) {
      await sim.tick(nextTs());
      if (minute % 8 === 0) {
        for (const m of markets) {
          const view = runtime.services.markets.snapshot().markets.find((v) => v.id === m.id)!;
          await runtime.services.ingest.funding({ marketId: m.id, rate: minute % 16 === 0 ? 0.0001 : -0.00007, markPrice: view.mark!, ts: nextTs() });
        }
      }
      if (minute % 20 === 0) {
        await runtime.services.ingest.collateral({ entries: [{ accountId: "acct-00001", amount: "123.456789", kind: "deposit", idempotencyKey: `extra:${minute}` }] });
      }
      await engineSettled(runtime);
      clock += MINUTE;
      await engineOf(runtime).executeDueSteps(clock);
    }

    const [ledger] = await db.prisma.$queryRaw<{ deposits: string; realized: string; funding: string; fees: string; payments: string; total: string }[]>`
      SELECT coalesce(sum(amount) FILTER (WHERE kind = 'deposit'), 0)::text AS deposits,
             coalesce(sum(amount) FILTER (WHERE kind = 'realized_pnl'), 0)::text AS realized,
             coalesce(sum(amount) FILTER (WHERE kind = 'funding'), 0)::text AS funding,
             coalesce(sum(amount) FILTER (WHERE kind = 'liquidation_fee'), 0)::text AS fees,
             coalesce(sum(amount) FILTER (WHERE kind = 'insurance_payment'), 0)::text AS payments,
             sum(amount)::text AS total
        FROM collateral_ledger`;
    const [fund] = await db.prisma.$queryRaw<{ capital: string; fees: string; paid: string; balance: string }[]>`
      SELECT coalesce(sum(amount) FILTER (WHERE kind = 'deposit'), 0)::text AS capital,
             coalesce(sum(amount) FILTER (WHERE kind = 'fee'), 0)::text AS fees,
             coalesce(sum(amount) FILTER (WHERE kind = 'deficit_payment'), 0)::text AS paid,
             (SELECT balance_after::text FROM insurance_fund_ledger ORDER BY id DESC LIMIT 1) AS balance
        FROM insurance_fund_ledger`;
    const [check] = await db.prisma.$queryRaw<{ collateral_plus_fund: string; sources: string; fund_expected: string; balances_match: boolean; fees_net: string; deficits_net: string }[]>`
      SELECT (${ledger!.fees}::numeric + ${fund!.fees}::numeric)::text AS fees_net,
             (${ledger!.payments}::numeric + ${fund!.paid}::numeric)::text AS deficits_net, ((SELECT sum(collateral) FROM accounts) + ${fund!.balance}::numeric)::text AS collateral_plus_fund,
             (${ledger!.deposits}::numeric + ${ledger!.realized}::numeric + ${ledger!.funding}::numeric + ${fund!.capital}::numeric)::text AS sources,
             (${fund!.capital}::numeric + ${fund!.fees}::numeric + ${fund!.paid}::numeric)::text AS fund_expected,
             (SELECT bool_and(a.collateral = coalesce(l.s, 0)) FROM accounts a
                LEFT JOIN (SELECT account_id, sum(amount) s FROM collateral_ledger GROUP BY account_id) l ON l.account_id = a.id) AS balances_match`;

    const events = await db.prisma.liquidationEvent.groupBy({ by: ["mode"], _count: true });
    expect(events.length).toBe(2); // partial and full liquidations both happened
    expect(Number(ledger!.funding)).not.toBe(0);
    expect(check!.balances_match).toBe(true);
    expect(check!.collateral_plus_fund).toBe(check!.sources);
    expect(fund!.balance).toBe(check!.fund_expected);
    // every fee an account paid reached the fund; every deficit the fund paid reached an account
    expect(Number(check!.fees_net)).toBe(0);
    expect(Number(check!.deficits_net)).toBe(0);
    expect(Number(fund!.fees)).toBeGreaterThan(0);
  });
});
