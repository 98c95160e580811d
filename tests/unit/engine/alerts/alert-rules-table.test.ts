import { describe, expect, it } from "vitest";
import type { AlertSignal } from "@/lib/contracts/alerts";
import { ETH } from "../helpers/markets";
import { bookWith, brief, collateralFor, evaluatorOn, rule } from "./helpers";

/** One step of a table: at time `t`, the account's collateral is set (if given), then the evaluator is drained at `t`. */
interface Step {
  readonly t: number;
  /** Margin ratio to put the account at (via its collateral); absent: nothing changes, only time passes. */
  readonly ratio?: number;
  readonly collateral?: number;
  /** What this drain must give, as `[at, raise|clear]`. */
  readonly expect?: readonly (readonly [number, "raise" | "clear"])[];
}

function run(params: Record<string, unknown>, kind: "ratio_above" | "status_enter" | "negative_collateral", steps: readonly Step[]): void {
  const book = bookWith(["a"]);
  const { alerts, first } = evaluatorOn(book, [rule({ kind, params })], 0);
  expect(first).toEqual([]);
  for (const step of steps) {
    const c = step.collateral ?? (step.ratio === undefined ? undefined : collateralFor(step.ratio));
    if (c !== undefined) book.setCollateral("a", c);
    const got = brief(alerts.drain(step.t)).map(([at, what]) => [at, what]);
    expect(got, `at t=${step.t}`).toEqual(step.expect ?? []);
  }
}

describe("ratio_above: hysteresis (raise at ≥ threshold, clear only at ≤ threshold − hysteresis)", () => {
  const cases: { name: string; steps: Step[] }[] = [
    {
      name: "crossing up raises once; dancing inside the band neither clears nor raises again; ≤ the clear line clears",
      steps: [
        { t: 1, ratio: 0.5 },
        { t: 2, ratio: 0.95, expect: [[2, "raise"]] },
        { t: 3, ratio: 0.88 },
        { t: 4, ratio: 0.91 },
        { t: 5, ratio: 0.86 },
        { t: 6, ratio: 0.97 },
        { t: 7, ratio: 0.84, expect: [[7, "clear"]] },
        { t: 8, ratio: 0.89 },
        { t: 9, ratio: 0.87 },
        { t: 10, ratio: 0.92, expect: [[10, "raise"]] },
      ],
    },
    {
      name: "the lines themselves: exactly the threshold raises, exactly threshold − hysteresis clears",
      // threshold 0.8 = 120 / 150; clear line 0.8 − 0.05 = 0.75 = 120 / 160 (both exact in binary arithmetic here).
      steps: [
        { t: 1, collateral: 150.000001 },
        { t: 2, collateral: 150, expect: [[2, "raise"]] },
        { t: 3, collateral: 159.999 },
        { t: 4, collateral: 160, expect: [[4, "clear"]] },
      ],
    },
    {
      name: "equity at or below zero is above every threshold",
      steps: [
        { t: 1, ratio: Infinity, expect: [[1, "raise"]] },
        { t: 2, collateral: 0 },
        { t: 3, ratio: 0.5, expect: [[3, "clear"]] },
      ],
    },
  ];
  for (const c of cases) it(c.name, () => run(c.name.includes("lines") ? { threshold: 0.8, hysteresis: 0.05 } : { threshold: 0.9, hysteresis: 0.05 }, "ratio_above", c.steps));
});

describe("minimum duration", () => {
  const D = 5000;
  const cases: { name: string; steps: Step[] }[] = [
    {
      name: "raises once the condition has held for the whole duration, dated when it was met, with no further change",
      steps: [
        { t: 1000, ratio: 0.95 },
        { t: 3000 },
        { t: 5999 },
        { t: 6000, expect: [[6000, "raise"]] },
        { t: 9000 },
      ],
    },
    {
      name: "a drain late after the duration ended still dates the raise when it was met",
      steps: [
        { t: 1000, ratio: 0.95 },
        { t: 60_000, expect: [[6000, "raise"]] },
      ],
    },
    {
      name: "a dip below the threshold (even inside the hysteresis band) restarts the count",
      steps: [
        { t: 1000, ratio: 0.95 },
        { t: 4000, ratio: 0.88 },
        { t: 4500, ratio: 0.93 },
        { t: 6000 },
        { t: 9499 },
        { t: 9500, expect: [[9500, "raise"]] },
      ],
    },
    {
      name: "a ratio moving about above the threshold keeps counting from its first crossing",
      steps: [
        { t: 1000, ratio: 0.95 },
        { t: 2000, ratio: 0.91 },
        { t: 3000, ratio: 1.5 },
        { t: 6000, ratio: 0.92, expect: [[6000, "raise"]] },
      ],
    },
    {
      name: "once raised, the duration does not delay the clear, and a new crossing counts again",
      steps: [
        { t: 0, ratio: 0.95 },
        { t: 5000, expect: [[5000, "raise"]] },
        { t: 5100, ratio: 0.5, expect: [[5100, "clear"]] },
        { t: 5200, ratio: 0.95 },
        { t: 10_199 },
        { t: 10_200, expect: [[10_200, "raise"]] },
      ],
    },
  ];
  for (const c of cases) it(c.name, () => run({ threshold: 0.9, hysteresis: 0.05, minDurationMs: D }, "ratio_above", c.steps));
});

describe("clear after: a raised alert resolves only once its clear condition has held that long (anti-flap)", () => {
  const C = 3000;
  const cases: { name: string; steps: Step[] }[] = [
    {
      name: "a ratio dancing across the clear line keeps one open alert; resolved, dated when the wait ended, once it stays clear",
      steps: [
        { t: 0, ratio: 0.95, expect: [[0, "raise"]] },
        { t: 1000, ratio: 0.8 },
        { t: 2000, ratio: 0.93 },
        { t: 2500, ratio: 0.8 },
        { t: 4000, ratio: 0.84 },
        { t: 5499 },
        { t: 5500, expect: [[5500, "clear"]] },
        { t: 6000, ratio: 0.95, expect: [[6000, "raise"]] },
      ],
    },
    {
      name: "a drain late after the wait ended dates the clear when it ended; inside the hysteresis band the wait restarts",
      steps: [
        { t: 0, ratio: 0.95, expect: [[0, "raise"]] },
        { t: 100, ratio: 0.5 },
        { t: 1000, ratio: 0.87 },
        { t: 1500, ratio: 0.5 },
        { t: 60_000, expect: [[4500, "clear"]] },
      ],
    },
  ];
  for (const c of cases) it(c.name, () => run({ threshold: 0.9, hysteresis: 0.05, clearAfterMs: C }, "ratio_above", c.steps));

  it("status_enter: an account leaving the status and coming back within the wait keeps its alert", () => {
    run({ status: "liquidatable", minDurationMs: 1000, clearAfterMs: C }, "status_enter", [
      { t: 0, ratio: 1.05 },
      { t: 1000, expect: [[1000, "raise"]] },
      { t: 1500, ratio: 0.85 },
      { t: 3000, ratio: 1.05 },
      { t: 3500, ratio: 0.5 },
      { t: 6499 },
      { t: 6500, expect: [[6500, "clear"]] },
    ]);
  });
});

describe("status_enter: the rule's status or worse", () => {
  // ratio 0.85 = warning, 1.05 = liquidatable, collateral 70 = backstop, -5 = bankrupt.
  it.each([
    {
      name: "warning: entering warning raises, going worse does not raise again, only healthy clears",
      params: { status: "warning" },
      steps: [
        { t: 1, ratio: 0.85, expect: [[1, "raise"]] },
        { t: 2, ratio: 1.05 },
        { t: 3, collateral: 70 },
        { t: 4, collateral: -5 },
        { t: 5, ratio: 0.85 },
        { t: 6, ratio: 0.5, expect: [[6, "clear"]] },
      ],
    },
    {
      name: "liquidatable with a minimum duration: warning in between restarts the count",
      params: { status: "liquidatable", minDurationMs: 1000 },
      steps: [
        { t: 0, ratio: 1.05 },
        { t: 500, ratio: 0.85 },
        { t: 600, collateral: 70 },
        { t: 1599 },
        { t: 1600, expect: [[1600, "raise"]] },
        { t: 1700, ratio: 0.85, expect: [[1700, "clear"]] },
      ],
    },
  ] satisfies { name: string; params: Record<string, unknown>; steps: Step[] }[])("$name", ({ params, steps }) => run(params, "status_enter", steps));
});

describe("negative_collateral", () => {
  it("raises below 0, clears at 0 or above (with a minimum duration)", () => {
    run({ minDurationMs: 100 }, "negative_collateral", [
      { t: 0, collateral: -0.01 },
      { t: 50, collateral: 5 },
      { t: 60, collateral: -3 },
      { t: 159 },
      { t: 160, expect: [[160, "raise"]] },
      { t: 170, collateral: -1000 },
      { t: 180, collateral: 0, expect: [[180, "clear"]] },
    ]);
  });
});

describe("an unknown status (a market never priced) neither raises nor clears", () => {
  it("status and ratio rules hold their state while the account is unknown, and take it up when it is priced", () => {
    const book = bookWith(["a"]);
    book.upsertMarket({ ...ETH, id: "NEW-PERP" });
    const { alerts } = evaluatorOn(book, [
      rule({ id: "st", kind: "status_enter", params: { status: "warning" } }),
      rule({ id: "ra", kind: "ratio_above", params: { threshold: 0.9 } }),
    ]);
    book.setCollateral("a", collateralFor(0.95));
    expect(brief(alerts.drain(1)).map(([, w]) => w)).toEqual(["raise", "raise"]);
    book.setPosition("a", "NEW-PERP", 1, 3000); // never priced: status unknown
    book.setCollateral("a", 1e6);
    expect(alerts.drain(2)).toEqual([]);
    book.setMark("NEW-PERP", 3000);
    const cleared = alerts.drain(3);
    expect(cleared.map((s) => [s.ruleId, s.raise])).toEqual([["st", false], ["ra", false]]);
  });
});

describe("queue_notional_above", () => {
  it("raises above the threshold, clears at or below it once every member is planned", () => {
    const book = bookWith(["a", "b"]);
    const { alerts } = evaluatorOn(book, [rule({ kind: "queue_notional_above", params: { threshold: 1000 } })]);
    book.setCollateral("a", collateralFor(1.2)); // liquidatable: in the queue
    expect(alerts.drain(1)).toEqual([]); // not planned yet: nothing known above the line
    book.queue.refresh();
    const [raised] = alerts.drain(2) as [AlertSignal];
    expect(raised).toMatchObject({ subject: "queue", raise: true, at: 2 });
    expect(raised.value).toBe(book.queue.pendingNotional);
    expect(raised.value).toBeGreaterThan(1000);
    expect(raised.message).toMatch(/^pending liquidation notional [\d,.]+ USD > 1,000\.00 USD$/);
    expect(book.queue.pendingNotional).toBe(book.queue.totals().pendingNotional);
    book.setCollateral("a", 10_000);
    expect(book.queue.length).toBe(0);
    expect(brief(alerts.drain(3))).toEqual([[3, "clear", "queue"]]);
  });
});

describe("what a raise says", () => {
  it("words with units and the figure", () => {
    const book = bookWith(["a", "b", "c"]);
    const { alerts } = evaluatorOn(book, [
      rule({ id: "ratio", kind: "ratio_above", params: { threshold: 0.9 } }),
      rule({ id: "status", kind: "status_enter", params: { status: "liquidatable" } }),
      rule({ id: "debt", kind: "negative_collateral", params: {} }),
    ]);
    book.setCollateral("a", collateralFor(0.912));
    book.setCollateral("b", -12.5);
    const byKey = new Map(alerts.drain(1).map((s) => [`${s.ruleId} ${s.subject}`, s]));
    expect(byKey.get("ratio account:a")).toMatchObject({ accountId: "a", message: "margin ratio 91.2% ≥ 90.0%" });
    expect(byKey.get("ratio account:a")!.value).toBeCloseTo(0.912, 12);
    expect(byKey.get("ratio account:b")).toMatchObject({ value: undefined, message: "margin ratio ∞ (equity −12.50 USD ≤ 0) ≥ 90.0%" });
    expect(byKey.get("status account:b")!.message).toBe("status bankrupt (liquidatable or worse); margin ratio ∞, equity −12.50 USD");
    expect(byKey.get("debt account:b")).toMatchObject({ value: -12.5, message: "collateral −12.50 USD < 0: the account carries a debt" });
    expect(byKey.size).toBe(4);
  });
});
