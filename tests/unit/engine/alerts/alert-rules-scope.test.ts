import { describe, expect, it } from "vitest";
import { AlertEvaluator, compileAlertRules } from "@/lib/engine";
import { RiskInputError } from "@/lib/risk";
import { bookWith, brief, collateralFor, evaluatorOn, rule } from "./helpers";

const subjects = (signals: { subject: string; raise: boolean }[]) => signals.map((s) => `${s.raise ? "raise" : "clear"} ${s.subject}`).sort();

describe("scope", () => {
  it("all: every account; accounts: only those listed, an account created later included", () => {
    const book = bookWith(["a", "b", "c"]);
    const { alerts } = evaluatorOn(book, [
      rule({ id: "all", kind: "negative_collateral", params: {} }),
      rule({ id: "listed", kind: "negative_collateral", scope: "accounts", accountIds: ["b", "later"], params: {} }),
    ]);
    for (const id of ["a", "b", "c", "later"]) book.setCollateral(id, -1);
    const got = alerts.drain(1).map((s) => `${s.ruleId} ${s.subject}`).sort();
    expect(got).toEqual(["all account:a", "all account:b", "all account:c", "all account:later", "listed account:b", "listed account:later"]);
  });

  it("market: the accounts holding that market, entering and leaving scope as positions open and close", () => {
    const book = bookWith(["btc-only", "both"]);
    book.setPosition("both", "ETH-PERP", 1, 3000);
    const { alerts } = evaluatorOn(book, [rule({ kind: "ratio_above", scope: "market", marketId: "ETH-PERP", params: { threshold: 0.5 } })]);
    // ETH MM of 3,000 notional at 0.5% = 15: "both" has MM 135.
    book.setCollateral("btc-only", collateralFor(0.9));
    book.setCollateral("both", 200);
    expect(subjects(alerts.drain(1))).toEqual(["raise account:both"]);
    book.setPosition("btc-only", "ETH-PERP", -2, 3000); // now in scope, at a ratio above 0.5
    expect(subjects(alerts.drain(2))).toEqual(["raise account:btc-only"]);
    book.setPosition("both", "ETH-PERP", 0, 3000); // leaves scope: its alert clears
    expect(subjects(alerts.drain(3))).toEqual(["clear account:both"]);
  });

  it("a market the book does not know yet: nobody is in scope until it is listed and held", () => {
    const book = bookWith(["a"]);
    book.setCollateral("a", -5);
    const { alerts, first } = evaluatorOn(book, [rule({ kind: "negative_collateral", scope: "market", marketId: "SOL-PERP", params: {} })]);
    expect(first).toEqual([]);
    book.setPosition("a", "SOL-PERP", 10, 150);
    expect(subjects(alerts.drain(1))).toEqual(["raise account:a"]);
  });
});

describe("start and failover: the store's unresolved alerts given with the rules", () => {
  it("an open alert whose condition holds stays (no second raise); one that no longer holds is cleared; a holding one not open is raised", () => {
    const book = bookWith(["held", "gone", "new"]);
    book.setCollateral("held", -1);
    book.setCollateral("new", -2);
    const alerts = new AlertEvaluator(book);
    alerts.setRules([rule({ id: "debt", kind: "negative_collateral", params: {} })], [
      { ruleId: "debt", subject: "account:held" },
      { ruleId: "debt", subject: "account:gone" },
      { ruleId: "debt", subject: "account:not-in-the-book" },
      { ruleId: "debt", subject: "queue" },
      { ruleId: "disabled-rule", subject: "account:held" },
    ], 1000);
    expect(subjects(alerts.drain(1000))).toEqual(["clear account:gone", "clear account:not-in-the-book", "clear queue", "raise account:new"]);
    expect(alerts.drain(2000)).toEqual([]);
    book.setCollateral("held", 5);
    expect(subjects(alerts.drain(3000))).toEqual(["clear account:held"]);
  });

  it("minimum durations start again at the start: a condition already holding raises its duration after `now`", () => {
    const book = bookWith(["a"]);
    book.setCollateral("a", collateralFor(0.95));
    const alerts = new AlertEvaluator(book);
    alerts.setRules([rule({ kind: "ratio_above", params: { threshold: 0.9, hysteresis: 0.05, minDurationMs: 5000 } })], [], 10_000);
    expect(alerts.drain(14_999)).toEqual([]);
    expect(alerts.nextDue()).toBe(15_000);
    expect(brief(alerts.drain(15_000))).toEqual([[15_000, "raise", "account:a"]]);
  });

  it("hysteresis survives a restart: an open alert in the band between the lines is neither cleared nor raised again", () => {
    const book = bookWith(["a"]);
    book.setCollateral("a", collateralFor(0.87));
    const alerts = new AlertEvaluator(book);
    alerts.setRules([rule({ kind: "ratio_above", params: { threshold: 0.9, hysteresis: 0.05 } })], [{ ruleId: "r", subject: "account:a" }], 0);
    expect(alerts.drain(0)).toEqual([]);
    book.setCollateral("a", collateralFor(0.8));
    expect(subjects(alerts.drain(1))).toEqual(["clear account:a"]);
  });
});

describe("reloading rules", () => {
  const base = rule({ id: "r", kind: "ratio_above", params: { threshold: 0.9, hysteresis: 0.05, minDurationMs: 1000 } });

  it("an unchanged rule keeps its state and waits; the store's list is not read for it", () => {
    const book = bookWith(["a", "b"]);
    const { alerts } = evaluatorOn(book, [base]);
    book.setCollateral("a", collateralFor(0.95));
    book.setCollateral("b", collateralFor(0.95));
    expect(alerts.drain(0)).toEqual([]);
    expect(brief(alerts.drain(1000)).length).toBe(2);
    book.setCollateral("b", collateralFor(0.5));
    book.setCollateral("a", collateralFor(0.5));
    expect(alerts.drain(1100).length).toBe(2);
    book.setCollateral("a", collateralFor(0.95));
    alerts.drain(1200); // a waits since 1200
    alerts.setRules([{ ...base, name: "renamed", severity: "critical" }], [{ ruleId: "r", subject: "account:b" }], 1500);
    expect(alerts.drain(1500)).toEqual([]); // b is not raised again from a stale list
    expect(brief(alerts.drain(2200))).toEqual([[2200, "raise", "account:a"]]);
  });

  it("a changed rule keeps what is raised, clears what its new condition does not hold, restarts its waits", () => {
    const book = bookWith(["a", "b", "c"]);
    const { alerts } = evaluatorOn(book, [base]);
    book.setCollateral("a", collateralFor(0.95));
    book.setCollateral("b", collateralFor(1.6));
    alerts.drain(0);
    expect(alerts.drain(1000).length).toBe(2);
    book.setCollateral("c", collateralFor(2.5));
    alerts.drain(1100); // c waits since 1100: raised at 2100 under the old rule
    alerts.setRules([{ ...base, params: { threshold: 2, hysteresis: 0.5, minDurationMs: 1000 } }], [{ ruleId: "r", subject: "account:c" }], 1500);
    // a (95%) is at or below the new clear line (150%); b (160%) is inside the new band: still raised.
    expect(subjects(alerts.drain(1500))).toEqual(["clear account:a"]);
    expect(alerts.drain(2100)).toEqual([]);
    expect(brief(alerts.drain(2500))).toEqual([[2500, "raise", "account:c"]]);
    book.setCollateral("b", collateralFor(1.4));
    expect(subjects(alerts.drain(2600))).toEqual(["clear account:b"]);
  });

  it("a rule left out is forgotten: no signal for it again, its waits dropped", () => {
    const book = bookWith(["a"]);
    const { alerts } = evaluatorOn(book, [base]);
    book.setCollateral("a", collateralFor(0.95));
    alerts.drain(0);
    alerts.setRules([], [], 10);
    expect(alerts.drain(5000)).toEqual([]);
    expect(book.listener).toBeNull();
    book.setCollateral("a", collateralFor(0.1));
    expect(alerts.drain(6000)).toEqual([]);
  });
});

describe("compiling rules", () => {
  it("a bad rule is refused naming its field, and nothing changes", () => {
    const book = bookWith(["a"]);
    book.setCollateral("a", -1);
    const alerts = new AlertEvaluator(book);
    alerts.setRules([rule({ id: "debt", kind: "negative_collateral", params: {} })], [], 0);
    expect(alerts.drain(0).length).toBe(1);
    const bad = [
      rule({ id: "ok", kind: "negative_collateral", params: {} }),
      rule({ id: "x", kind: "ratio_above", params: { threshold: 0.5, hysteresis: 0.6 } }),
      rule({ id: "y", kind: "market_stale", params: {} }),
      rule({ id: "z", kind: "status_enter", scope: "market", params: { status: "healthy" } }),
    ];
    let error: unknown;
    try {
      alerts.setRules(bad, [], 1);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RiskInputError);
    expect((error as RiskInputError).message).toContain("rules[1].params.hysteresis: must be smaller than the threshold (0.5)");
    expect((error as RiskInputError).issues.map((i) => i.path.join("."))).toEqual(["rules.1.params.hysteresis", "rules.2.kind", "rules.3.params.status", "rules.3.marketId"]);
    expect(alerts.ruleCount).toBe(1);
    book.setCollateral("a", 1);
    expect(subjects(alerts.drain(2))).toEqual(["clear account:a"]);
  });

  it("disabled rules are left out; defaults are filled; the queue has no scope", () => {
    const rules = compileAlertRules([
      rule({ id: "off", kind: "negative_collateral", params: {}, enabled: false }),
      rule({ id: "q", kind: "queue_notional_above", params: { threshold: 5 }, scope: "accounts", accountIds: ["a"] }),
      rule({ id: "s", kind: "status_enter", params: { status: "backstop" } }),
    ]);
    expect(rules.map((r) => [r.id, r.scope, r.status, r.minDurationMs])).toEqual([["q", "all", -1, 0], ["s", "all", 3, 0]]);
  });
});
