import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { AlertRuleView, AlertSignal } from "@/lib/contracts/alerts";
import type { LiveBook } from "@/lib/engine";
import { STATUS_UNKNOWN } from "@/lib/risk";
import { A_COLLATERAL, A_MM, A_STRIDE, A_UPNL } from "@/lib/engine/book/account-record";
import { bookWith, collateralFor, evaluatorOn, rule } from "./helpers";

const dbl = (min: number, max: number) => fc.double({ min, max, noNaN: true, noDefaultInfinity: true });

/** Per rule and subject, the signals in order must be raise, clear, raise, …: never two raises without a clear between. */
function expectAlternation(signals: readonly AlertSignal[]): void {
  const raised = new Map<string, boolean>();
  for (const s of signals) {
    const key = `${s.ruleId} ${s.subject}`;
    const was = raised.get(key) ?? false;
    expect(s.raise, `${key}: ${s.raise ? "raised twice" : "cleared while not raised"}`).toBe(!was);
    raised.set(key, s.raise);
  }
}

// Thousands of evaluations each: seconds on a busy shared machine.
describe("property: a ratio series never yields two open alerts for one rule and subject", { timeout: 120_000 }, () => {
  it("signals alternate raise / clear; a raise sees the ratio ≥ threshold, a clear ≤ threshold − hysteresis", () => {
    fc.assert(
      fc.property(
        fc.record({
          threshold: dbl(0.05, 3),
          hysteresisShare: fc.oneof(fc.constant(0), dbl(0, 0.9)),
          minDurationMs: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 3000 })),
          steps: fc.array(
            fc.record({ dt: fc.integer({ min: 0, max: 2000 }), ratio: fc.option(fc.oneof(dbl(0.01, 4), fc.constant(Infinity))), drain: fc.boolean() }),
            { maxLength: 60, size: "max" },
          ),
        }),
        ({ threshold, hysteresisShare, minDurationMs, steps }) => {
          const hysteresis = threshold * hysteresisShare;
          const book = bookWith(["a"]);
          const { alerts } = evaluatorOn(book, [rule({ kind: "ratio_above", params: { threshold, hysteresis, minDurationMs } })]);
          const all: AlertSignal[] = [];
          let t = 0;
          let ratio = 0.012;
          const drain = (now: number) => {
            const got = alerts.drain(now);
            for (const s of got) {
              if (s.raise) expect(ratio).toBeGreaterThanOrEqual(threshold);
              else expect(ratio).toBeLessThanOrEqual(threshold - hysteresis);
              expect(s.at).toBeLessThanOrEqual(now);
            }
            all.push(...got);
          };
          for (const step of steps) {
            t += step.dt;
            if (step.ratio !== null) {
              book.setCollateral("a", collateralFor(step.ratio));
              ratio = MMratio(book);
            }
            if (step.drain) drain(t);
          }
          drain(t);
          drain(t + minDurationMs);
          expectAlternation(all);
          // Liveness: a ratio left at or above the threshold for the whole duration is raised by then.
          if (ratio >= threshold) expect(all.at(-1)?.raise).toBe(true);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

/** The account's margin ratio from the book's kept sums (what the rules read). */
function MMratio(book: LiveBook, id = "a"): number {
  const a = book.accountIndex.get(id)!;
  const b = a * A_STRIDE;
  const equity = book.acc[b + A_COLLATERAL]! + book.acc[b + A_UPNL]!;
  return book.count[a] === 0 ? 0 : equity > 0 ? book.acc[b + A_MM]! / equity : Infinity;
}

/**
 * A plain model of the rules: every account of the book looked at on every drain (no gate, no
 * marks, no heap), with the same semantics. The evaluator, which only looks at the accounts the
 * book marked and keeps a heap of waits, must give exactly the same signals.
 */
class ScanningModel {
  private readonly raised = new Set<string>();
  private readonly since = new Map<string, number>();
  /** Raised subjects whose clear condition holds: since when. */
  private readonly clearSince = new Map<string, number>();
  constructor(private readonly rules: readonly AlertRuleView[], private readonly book: LiveBook) {}

  drain(now: number): AlertSignal[] {
    const out: AlertSignal[] = [];
    const book = this.book;
    for (let a = 0; a < book.accountCount; a++) {
      const id = book.ids[a]!;
      const status = book.status[a]!;
      const collateral = book.acc[a * A_STRIDE + A_COLLATERAL]!;
      const ratio = MMratio(book, id);
      for (const r of this.rules) {
        const p = r.params as { status?: string; threshold?: number; hysteresis?: number; minDurationMs?: number; clearAfterMs?: number };
        const key = `${r.id} account:${id}`;
        const inScope = r.scope === "all" || (r.scope === "accounts" ? r.accountIds.includes(id) : holds(book, a, r.marketId!));
        let holdsNow: boolean;
        let clears: boolean;
        if (!inScope) [holdsNow, clears] = [false, true];
        else if (r.kind === "negative_collateral") [holdsNow, clears] = [collateral < 0, collateral >= 0];
        else if (status === STATUS_UNKNOWN) {
          this.since.delete(key);
          this.clearSince.delete(key);
          continue;
        } else if (r.kind === "status_enter") {
          const s = ["healthy", "warning", "liquidatable", "backstop", "bankrupt"].indexOf(p.status!);
          [holdsNow, clears] = [status >= s, status < s];
        } else [holdsNow, clears] = [ratio >= p.threshold!, ratio <= p.threshold! - (p.hysteresis ?? 0)];
        const d = p.minDurationMs ?? 0;
        if (this.raised.has(key)) {
          if (!clears) this.clearSince.delete(key);
          else {
            const since = this.clearSince.get(key) ?? now;
            this.clearSince.set(key, since);
            if (since + (p.clearAfterMs ?? 0) <= now) {
              this.raised.delete(key);
              this.clearSince.delete(key);
              out.push({ ruleId: r.id, subject: `account:${id}`, raise: false, at: since + (p.clearAfterMs ?? 0) });
            }
          }
        } else if (!holdsNow) this.since.delete(key);
        else {
          const since = this.since.get(key) ?? now;
          this.since.set(key, since);
          if (since + d <= now) {
            this.raised.add(key);
            this.since.delete(key);
            out.push({ ruleId: r.id, subject: `account:${id}`, raise: true, at: since + d });
          }
        }
      }
    }
    return out;
  }
}

function holds(book: LiveBook, a: number, marketId: string): boolean {
  const m = book.marketIndex.get(marketId);
  for (let s = book.head[a]!; s !== -1; s = book.slots.next[s]!) if (book.slots.market[s] === m) return true;
  return false;
}

const sortKey = (s: AlertSignal) => `${s.ruleId} ${s.subject} ${s.raise} ${s.at}`;

describe("property: the evaluator's marks and waits miss nothing a full scan sees", { timeout: 120_000 }, () => {
  const IDS = ["a", "b", "c", "d"];
  const COMMON: AlertRuleView[] = [
    rule({ id: "warn", kind: "status_enter", params: { status: "warning", minDurationMs: 700 } }),
    rule({ id: "liq", kind: "status_enter", params: { status: "liquidatable", clearAfterMs: 400 } }),
    rule({ id: "r90", kind: "ratio_above", params: { threshold: 0.9, hysteresis: 0.05, minDurationMs: 300, clearAfterMs: 250 } }),
    rule({ id: "debt", kind: "negative_collateral", params: {} }),
    rule({ id: "bc", kind: "status_enter", scope: "accounts", accountIds: ["b", "c", "later"], params: { status: "warning" } }),
  ];
  // Ratio lines among the healthy ratios (below 80%, the warning line) and among the warning ones
  // (the evaluator then looks at every settled account of those statuses) …
  const LOW_LINES: AlertRuleView[] = [
    ...COMMON,
    rule({ id: "r50", kind: "ratio_above", params: { threshold: 0.5, hysteresis: 0.2 } }),
    rule({ id: "eth", kind: "ratio_above", scope: "market", marketId: "ETH-PERP", params: { threshold: 0.6, hysteresis: 0.1, minDurationMs: 200 } }),
  ];
  // … only among the warning and the backstop ones (a healthy or liquidatable account that keeps its status is not looked at).
  const HIGH_LINES: AlertRuleView[] = [
    ...COMMON,
    rule({ id: "r200", kind: "ratio_above", params: { threshold: 2, hysteresis: 0.3 } }),
    rule({ id: "eth", kind: "ratio_above", scope: "market", marketId: "ETH-PERP", params: { threshold: 0.95, hysteresis: 0.1, minDurationMs: 200 } }),
  ];
  const op = fc.oneof(
    fc.record({ kind: fc.constant("btc" as const), move: dbl(-0.0008, 0.0008) }),
    fc.record({ kind: fc.constant("eth" as const), move: dbl(-0.01, 0.01) }),
    fc.record({ kind: fc.constant("collateral" as const), who: fc.constantFrom(...IDS, "later"), amount: fc.oneof(dbl(-20, 500), dbl(100, 200), dbl(400, 1000)) }),
    fc.record({ kind: fc.constant("ethPosition" as const), who: fc.constantFrom(...IDS), qty: fc.constantFrom(0, 0.5, -1, 2) }),
    fc.record({ kind: fc.constant("drain" as const), dt: fc.integer({ min: 0, max: 500 }) }),
  );

  it.each([
    ["ratio lines among healthy ratios", LOW_LINES],
    ["ratio lines only among warning and backstop ratios", HIGH_LINES],
  ])("same signals as scanning every account on every drain, under ticks, collateral moves and positions opening and closing: %s", (_, RULES) => {
    const seen = new Map<string, number>();
    fc.assert(
      fc.property(fc.array(op, { minLength: 10, maxLength: 80, size: "max" }), (ops) => {
        const book = bookWith(IDS);
        for (const id of IDS) book.setCollateral(id, 140);
        const model = new ScanningModel(RULES, book);
        const { alerts, first } = evaluatorOn(book, RULES, 0);
        expect(first.map(sortKey).sort()).toEqual(model.drain(0).map(sortKey).sort());
        let t = 0;
        let btc = 60000;
        let eth = 3000;
        const all: AlertSignal[] = [...first];
        for (const o of ops) {
          if (o.kind === "btc") book.setMark("BTC-PERP", (btc = Math.round(btc * (1 + o.move) * 10) / 10));
          else if (o.kind === "eth") book.setMark("ETH-PERP", (eth = Math.round(eth * (1 + o.move) * 100) / 100));
          else if (o.kind === "collateral") book.setCollateral(o.who, o.amount);
          else if (o.kind === "ethPosition") book.setPosition(o.who, "ETH-PERP", o.qty, eth);
          else {
            t += o.dt;
            const got = alerts.drain(t);
            expect(got.map(sortKey).sort(), `drain at ${t}`).toEqual(model.drain(t).map(sortKey).sort());
            all.push(...got);
          }
        }
        expectAlternation(all);
        for (const s of all) seen.set(`${s.ruleId} ${s.raise ? "raise" : "clear"}`, (seen.get(`${s.ruleId} ${s.raise ? "raise" : "clear"}`) ?? 0) + 1);
      }),
      { numRuns: 400 },
    );
    // The runs did exercise every rule both ways (a property that never raises proves nothing).
    for (const r of RULES) for (const what of ["raise", "clear"]) expect(seen.get(`${r.id} ${what}`) ?? 0, `${r.id} ${what}`).toBeGreaterThan(20);
  });
});
