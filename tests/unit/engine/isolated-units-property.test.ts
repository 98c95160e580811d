import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { accountRow, accountView, bookSummary, LiveBook } from "@/lib/engine";
import { compileMarket, figuresOfResolved, qtyOfLots, resolveRiskParams, type ResolvedPosition } from "@/lib/risk";
import { closeTo } from "./helpers/book";
import { MARKETS, PRICES } from "./helpers/markets";

const NOW = 1_700_000_000_000;
const ACCOUNTS = 4;
const params = resolveRiskParams({});
const compiled = MARKETS.map(compileMarket);

type Op =
  | { kind: "tick"; market: number; move: number }
  | { kind: "position"; account: number; market: number; lots: number; long: boolean; margin: number | null }
  | { kind: "close"; account: number; market: number; isolated: boolean }
  | { kind: "collateral"; account: number; amount: number };

const dbl = (min: number, max: number) => fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
const account = fc.integer({ min: 0, max: ACCOUNTS - 1 });
const market = fc.integer({ min: 0, max: MARKETS.length - 1 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant("tick" as const), market, move: dbl(-0.05, 0.05) }) },
  { weight: 4, arbitrary: fc.record({
    kind: fc.constant("position" as const), account, market, lots: fc.integer({ min: 1, max: 3000 }), long: fc.boolean(),
    margin: fc.option(dbl(0, 5000), { nil: null }),
  }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("close" as const), account, market, isolated: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("collateral" as const), account, amount: dbl(-2000, 20000) }) },
);

/**
 * Spec §11, the live book against the model: after any sequence of ticks, positions opened,
 * changed, closed and switched between cross and isolated, margins and collateral, every
 * account's view equals lib/risk `figuresOfResolved` of its state (cross figures over cross
 * positions, each isolated position's own figures and liquidation price, the account's status the
 * worst of them), the kept sums equal the view's, and the queue holds exactly the units at or
 * below their maintenance margin.
 */
describe("isolated units: live book = the model", () => {
  it("after random operations", () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 60 }), (ops) => {
        const book = new LiveBook({ resyncEvery: 32 });
        for (const m of MARKETS) book.upsertMarket(m);
        const marks = MARKETS.map((m) => PRICES[m.id]!);
        MARKETS.forEach((m, i) => book.setMark(m.id, marks[i]!));
        const state = new Map<string, { collateral: number; positions: Map<number, { qty: number; entry: number; margin: number | null }> }>();
        const of = (a: number) => {
          const id = `acc-${a}`;
          let s = state.get(id);
          if (!s) state.set(id, (s = { collateral: 0, positions: new Map() }));
          return { id, s };
        };
        for (const op of ops) {
          if (op.kind === "tick") {
            marks[op.market] = marks[op.market]! * (1 + op.move);
            book.setMark(MARKETS[op.market]!.id, marks[op.market]!);
          } else if (op.kind === "position") {
            const { id, s } = of(op.account);
            const qty = qtyOfLots(compiled[op.market]!, op.lots) * (op.long ? 1 : -1);
            const entry = marks[op.market]!;
            book.applyPositions([{ accountId: id, marketId: MARKETS[op.market]!.id, qty, entryPrice: entry, isolatedMargin: op.margin }]);
            s.positions.set(op.market, { qty, entry, margin: op.margin });
          } else if (op.kind === "close") {
            const { id, s } = of(op.account);
            book.applyPositions([{ accountId: id, marketId: MARKETS[op.market]!.id, qty: 0, entryPrice: 0, isolatedMargin: op.isolated ? 0 : null }]);
            s.positions.delete(op.market);
          } else {
            const { id, s } = of(op.account);
            book.setCollateral(id, op.amount);
            s.collateral = op.amount;
          }
        }
        let queued = 0;
        for (const [id, s] of state) {
          const resolved: ResolvedPosition[] = [...s.positions].sort(([x], [y]) => (MARKETS[x]!.id < MARKETS[y]!.id ? -1 : 1)).map(([m, p]) => ({
            market: compiled[m]!, qty: p.qty, entryPrice: p.entry, markPrice: marks[m]!, ...(p.margin === null ? {} : { isolatedMargin: p.margin }),
          }));
          const want = figuresOfResolved(s.collateral, resolved, params);
          const row = accountRow(book, id)!;
          const view = accountView(book, id, NOW)!;
          const scale = Math.max(1, Math.abs(s.collateral), ...resolved.map((p) => Math.abs(p.qty) * p.markPrice));
          expect(view.status).toBe(want.status);
          expect(closeTo(view.equity!, want.equity, scale)).toBe(true);
          expect(closeTo(view.maintenanceMargin!, want.maintenanceMargin, scale)).toBe(true);
          expect(closeTo(row.equity!, want.equity, scale)).toBe(true); // the kept sums, before any resync
          expect(row.positions).toBe(resolved.length);
          expect(view.positions.map((p) => p.marketId)).toEqual(want.positions.map((p) => p.marketId));
          want.positions.forEach((w, i) => {
            const got = view.positions[i]!;
            expect(got.isolated === undefined).toBe(w.isolatedMargin === undefined);
            if (w.liquidationPrice === null) expect(got.liquidationPrice).toBeNull();
            else expect(closeTo(got.liquidationPrice!, w.liquidationPrice, w.liquidationPrice)).toBe(true);
            if (got.isolated) {
              expect(got.isolated.status).toBe(w.status);
              expect(closeTo(got.isolated.equity!, w.equity!, scale)).toBe(true);
              expect(got.isolated.queue !== null).toBe(["liquidatable", "backstop", "bankrupt"].includes(w.status!));
              if (got.isolated.queue) queued++;
            }
          });
          if (view.queue) queued++;
          expect(view.queue !== null).toBe(["liquidatable", "backstop", "bankrupt"].includes(want.crossStatus));
        }
        expect(book.queue.length).toBe(queued);
        expect(bookSummary(book).accounts).toBe(state.size);
      }),
      { numRuns: 150 },
    );
  });
});
