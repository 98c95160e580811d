import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AlertSignal } from "@/lib/contracts/alerts";
import { EngineClient } from "@/lib/engine";
import { RiskInputError } from "@/lib/risk";
import { MARKETS, PRICES } from "../helpers/markets";
import { collateralFor, rule } from "./helpers";

/** The signals pushed, in order; `until(p)` waits (up to `ms`) for one matching `p`. */
function collect(client: EngineClient): { all: AlertSignal[]; batches: number; until: (p: (s: AlertSignal) => boolean, ms?: number) => Promise<AlertSignal | undefined> } {
  const state = { all: [] as AlertSignal[], batches: 0 };
  client.onAlerts((signals) => {
    expect(signals.length).toBeGreaterThan(0);
    state.batches++;
    state.all.push(...signals);
  });
  return {
    get all() {
      return state.all;
    },
    get batches() {
      return state.batches;
    },
    until: async (p, ms = 5000) => {
      const end = Date.now() + ms;
      while (!state.all.some(p) && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
      return state.all.find(p);
    },
  };
}

describe("alert rules in the engine worker", () => {
  let client: EngineClient;
  let pushed: ReturnType<typeof collect>;

  beforeAll(async () => {
    client = await EngineClient.start({ markets: MARKETS, changeIntervalMs: 20 });
    pushed = collect(client);
    await client.applyPrices(MARKETS.map((m) => ({ marketId: m.id, price: PRICES[m.id]! })));
    await client.applyPositions(["a", "b"].map((accountId) => ({ accountId, marketId: "BTC-PERP", qty: 0.5, entryPrice: 60000 })));
    await client.applyCollateral([{ accountId: "a", amount: 10_000 }, { accountId: "b", amount: -3 }]);
  }, 30_000);

  afterAll(async () => {
    await client?.close();
  });

  it("setAlertRules: the first evaluation's signals are pushed before it answers; a bad rule is refused naming its field", async () => {
    await expect(client.setAlertRules([rule({ kind: "ratio_above", params: { threshold: -1 } })], [], Date.now())).rejects.toBeInstanceOf(RiskInputError);
    const now = Date.now();
    const result = await client.setAlertRules([
      rule({ id: "debt", kind: "negative_collateral", params: {} }),
      rule({ id: "ratio", kind: "ratio_above", params: { threshold: 0.9, hysteresis: 0.05, minDurationMs: 300 } }),
    ], [{ ruleId: "debt", subject: "account:a" }], now);
    expect(result).toEqual({ rules: 2 });
    // Already received (posted before the answer): b's debt raised, a's stale open alert cleared.
    // (b's ratio, ∞, waits its 300 ms.)
    expect(pushed.all.map((s) => `${s.ruleId} ${s.raise ? "raise" : "clear"} ${s.subject}`).sort()).toEqual(["debt clear account:a", "debt raise account:b"]);
    const late = await pushed.until((s) => s.ruleId === "ratio" && s.subject === "account:b");
    expect(late).toMatchObject({ raise: true, at: now + 300 });
  });

  it("a minimum duration that ends with no further change still raises (the worker's timer), dated when it was met", async () => {
    const t0 = Date.now();
    await client.applyCollateral([{ accountId: "a", amount: collateralFor(0.95) }]);
    const raise = await pushed.until((s) => s.ruleId === "ratio" && s.subject === "account:a");
    expect(raise).toMatchObject({ raise: true, accountId: "a", message: "margin ratio 95.0% ≥ 90.0%" });
    expect(raise!.at).toBeGreaterThanOrEqual(t0 + 300);
    expect(raise!.at).toBeLessThan(Date.now());
  });

  it("drainAlerts hands over what was not pushed yet", async () => {
    await client.applyCollateral([{ accountId: "b", amount: 50 }]);
    const direct = await client.drainAlerts(Date.now());
    await new Promise((r) => setTimeout(r, 100)); // past the next push: what was drained is not pushed as well
    const pushedNow = pushed.all.filter((s) => s.ruleId === "debt" && s.subject === "account:b" && !s.raise);
    expect([...direct, ...pushedNow].filter((s) => s.ruleId === "debt" && s.subject === "account:b" && !s.raise)).toHaveLength(1);
  });
});
