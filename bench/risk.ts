/**
 * Risk model benchmark (docs/PERFORMANCE.md, "Risk model"): 1,000,000 positions in 250,000
 * accounts over 50 markets, a quarter of the positions isolated (spec §11: each its own unit with
 * its own margin) and a fifth of the markets with a closing fee in maintenance, generated from a
 * fixed seed, valued at marks by
 *
 *   baseline   a minimal hand-written loop over Float64Arrays: notional, unrealized PnL and tiered
 *              MM per position, summed per account over cross positions, and an isolated
 *              position's own equity (margin + uPnL) written apart (the floor any implementation must pay);
 *   figures    lib/risk `accountFiguresColumnar`: cross equity, MM, IM of every account, and its
 *              status, the worst of its cross part and each isolated position (whose status it computes);
 *   +plans     figures, then `planPartialLiquidation` for every account at or below maintenance;
 *   plans 10k  the planner alone for 10,000 liquidatable accounts;
 *   object API `evaluateAccount` (figures, liquidation prices, plans) on plain objects, for scale.
 *
 * Goals: figures within 3x of the baseline; plans for 10,000 liquidatable accounts under 100 ms.
 */
import os from "node:os";
import { readFileSync } from "node:fs";
import {
  accountFiguresColumnar,
  compileMarket,
  DEFAULT_RISK_PARAMS,
  evaluateAccount,
  isolatedUnitPlan,
  planPartialLiquidation,
  qtyOfLots,
  STATUS_LIQUIDATABLE,
  type AccountInput,
  type CompiledMarket,
  type MarketParams,
  type PlanPosition,
} from "@/lib/risk";
import { logUniform, mulberry32, normal, uniform } from "./lib/prng";
import { generateMarkets } from "./lib/book-generator";
import { fmt, perSecond, time } from "./lib/timing";
import type { SummaryRow } from "./lib/bench-summary";
import { quickOr } from "./lib/quick-mode";

const MARKETS = 50;
/** Quick mode (LIQDESK_BENCH_QUICK=1): a tenth of the book, 1,000 accounts planned. */
const ACCOUNTS = quickOr(250_000, 25_000);
const POSITIONS = quickOr(1_000_000, 100_000);
const PLAN_ACCOUNTS = quickOr(10_000, 1_000);
const SEED = 20240611;

interface Book {
  markets: CompiledMarket[];
  params: MarketParams[];
  marks: Float64Array;
  accountStart: Int32Array;
  collateral: Float64Array;
  market: Int32Array;
  qty: Float64Array;
  entryPrice: Float64Array;
  /** Spec §11: the position's isolated margin, NaN for a cross position. */
  isolatedMargin: Float64Array;
}

/** Share of positions that are isolated, and of markets that count a closing fee in maintenance (spec §11). */
const ISOLATED_SHARE = 0.25;
const FEE_MARKET_SHARE = 0.2;

function generateBook(): Book {
  const rand = mulberry32(SEED);
  const generated = generateMarkets(rand, MARKETS);
  const marks = generated.marks;
  // Every fifth market counts a taker fee of 0.05% in maintenance (spec §11).
  const params = generated.params.map((m, i) => (i % Math.round(1 / FEE_MARKET_SHARE) === 0 ? { ...m, maintenanceFeeRate: 0.0005 } : m));
  const markets = params.map(compileMarket);

  // Positions per account: 1–7 (mean 4), adjusted so that the total is exactly 1,000,000.
  const counts = new Int32Array(ACCOUNTS);
  let total = 0;
  for (let a = 0; a < ACCOUNTS; a++) total += counts[a] = 1 + Math.floor(rand() * 7);
  while (total !== POSITIONS) {
    const a = Math.floor(rand() * ACCOUNTS);
    if (total < POSITIONS && counts[a]! < 7) {
      counts[a] = counts[a]! + 1;
      total++;
    } else if (total > POSITIONS && counts[a]! > 1) {
      counts[a] = counts[a]! - 1;
      total--;
    }
  }

  const accountStart = new Int32Array(ACCOUNTS + 1);
  const collateral = new Float64Array(ACCOUNTS);
  const market = new Int32Array(POSITIONS);
  const qty = new Float64Array(POSITIONS);
  const entryPrice = new Float64Array(POSITIONS);
  const isolatedMargin = new Float64Array(POSITIONS).fill(NaN);
  const taken = new Uint8Array(MARKETS);
  let row = 0;
  for (let a = 0; a < ACCOUNTS; a++) {
    accountStart[a] = row;
    taken.fill(0);
    let upnl = 0;
    let mm = 0;
    for (let j = 0; j < counts[a]!; j++) {
      let mi: number;
      do mi = Math.floor(rand() * MARKETS);
      while (taken[mi]);
      taken[mi] = 1;
      const m = markets[mi]!;
      const price = marks[mi]!;
      const lots = Math.max(1, Math.round(logUniform(rand, 100, 2e6) / price / m.lotSize));
      const q = qtyOfLots(m, lots) * (rand() < 0.5 ? -1 : 1);
      const entry = price * (1 + 0.03 * normal(rand));
      market[row] = mi;
      qty[row] = q;
      entryPrice[row] = entry;
      const notional = Math.abs(q) * price;
      let k = 0;
      while (notional > m.caps[k]!) k++;
      const posUpnl = q * (price - entry);
      const posMm = notional * m.mmr[k]! - m.cum[k]!;
      if (rand() < ISOLATED_SHARE) {
        // Isolated: its own margin from its own health draw (same mix of statuses as accounts).
        const r = rand();
        const h = r < 0.01 ? uniform(rand, -0.5, -0.01) : r < 0.06 ? uniform(rand, 0.2, 0.66) : r < 0.13 ? uniform(rand, 0.67, 1) : uniform(rand, 1.05, 5);
        isolatedMargin[row] = Math.max(0, h * posMm - posUpnl);
      } else {
        upnl += posUpnl;
        mm += posMm;
      }
      row++;
    }
    // Health (equity / MM): about 1% bankrupt, 5% under the backstop, 7% liquidatable, the rest above.
    const r = rand();
    const health =
      r < 0.01 ? uniform(rand, -0.5, -0.01) : r < 0.06 ? uniform(rand, 0.2, 0.66) : r < 0.13 ? uniform(rand, 0.67, 1) : uniform(rand, 1.05, 5);
    // Collateral is never negative; a bankrupt draw with a profit elsewhere just lands higher.
    collateral[a] = Math.max(0, health * mm - upnl);
  }
  accountStart[ACCOUNTS] = row;
  return { markets, params, marks, accountStart, collateral, market, qty, entryPrice, isolatedMargin };
}

/**
 * The baseline: the least work that yields each account's cross equity and tiered MM, and each
 * isolated position's own equity (its margin + uPnL) and MM.
 */
function baseline(
  book: Book,
  flat: { tierStart: Int32Array; caps: Float64Array; mmr: Float64Array; cum: Float64Array },
  equity: Float64Array,
  mmOut: Float64Array,
  unitEquity: Float64Array,
  unitMm: Float64Array,
) {
  const { accountStart, collateral, market, qty, entryPrice, marks, isolatedMargin } = book;
  const { tierStart, caps, mmr, cum } = flat;
  for (let a = 0; a < ACCOUNTS; a++) {
    let eq = collateral[a]!;
    let mm = 0;
    const end = accountStart[a + 1]!;
    for (let i = accountStart[a]!; i < end; i++) {
      const mi = market[i]!;
      const q = qty[i]!;
      const p = marks[mi]!;
      const notional = Math.abs(q) * p;
      let k = tierStart[mi]!;
      while (notional > caps[k]!) k++;
      const u = q * (p - entryPrice[i]!);
      const m = notional * mmr[k]! - cum[k]!;
      const iso = isolatedMargin[i]!;
      if (iso === iso) {
        unitEquity[i] = iso + u;
        unitMm[i] = m;
        continue;
      }
      eq += u;
      mm += m;
    }
    equity[a] = eq;
    mmOut[a] = mm;
  }
}

function flattenTiers(markets: CompiledMarket[]) {
  const tierStart = new Int32Array(markets.length);
  const n = markets.reduce((s, m) => s + m.tierCount, 0);
  const caps = new Float64Array(n);
  const mmr = new Float64Array(n);
  const cum = new Float64Array(n);
  let o = 0;
  markets.forEach((m, i) => {
    tierStart[i] = o;
    caps.set(m.caps, o);
    mmr.set(m.mmr, o);
    cum.set(m.cum, o);
    o += m.tierCount;
  });
  return { tierStart, caps, mmr, cum };
}

/** The cross positions of account `a`, as the planner of its cross part takes them. */
function planPositionsOf(book: Book, a: number): PlanPosition[] {
  const out: PlanPosition[] = [];
  for (let i = book.accountStart[a]!; i < book.accountStart[a + 1]!; i++) {
    if (!Number.isNaN(book.isolatedMargin[i]!)) continue;
    const mi = book.market[i]!;
    out.push({ market: book.markets[mi]!, qty: book.qty[i]!, markPrice: book.marks[mi]! });
  }
  return out;
}

function cpuModel(): string {
  try {
    const line = readFileSync("/proc/cpuinfo", "utf8").split("\n").find((l) => l.startsWith("model name"));
    return line ? line.split(":")[1]!.trim() : os.cpus()[0]?.model ?? "unknown";
  } catch {
    return os.cpus()[0]?.model ?? "unknown";
  }
}

export default async function main(): Promise<SummaryRow[]> {
  const params = DEFAULT_RISK_PARAMS;
  const genStart = process.hrtime.bigint();
  const book = generateBook();
  const genMs = Number(process.hrtime.bigint() - genStart) / 1e6;
  const flat = flattenTiers(book.markets);

  const baseEquity = new Float64Array(ACCOUNTS);
  const baseMm = new Float64Array(ACCOUNTS);
  const baseUnitEquity = new Float64Array(POSITIONS);
  const baseUnitMm = new Float64Array(POSITIONS);
  const out = {
    equity: new Float64Array(ACCOUNTS),
    maintenanceMargin: new Float64Array(ACCOUNTS),
    initialMargin: new Float64Array(ACCOUNTS),
    status: new Uint8Array(ACCOUNTS),
    crossStatus: new Uint8Array(ACCOUNTS),
  };
  const positions = { market: book.market, qty: book.qty, entryPrice: book.entryPrice, isolatedMargin: book.isolatedMargin };
  const accounts = { accountStart: book.accountStart, collateral: book.collateral };
  const figures = () => accountFiguresColumnar(book.markets, book.marks, positions, accounts, out, params);

  // Accounts whose cross part is at or below maintenance (their cross plans), and isolated units planned.
  let liquidatable: number[] = [];
  let unitPlans = 0;
  let checksum = 0;
  const withPlans = () => {
    figures();
    liquidatable = [];
    unitPlans = 0;
    for (let a = 0; a < ACCOUNTS; a++) {
      if (out.status[a]! < STATUS_LIQUIDATABLE) continue;
      if (out.crossStatus[a]! >= STATUS_LIQUIDATABLE) {
        liquidatable.push(a);
        checksum += planPartialLiquidation(out.equity[a]!, planPositionsOf(book, a), params).closes.length;
      }
      for (let i = book.accountStart[a]!; i < book.accountStart[a + 1]!; i++) {
        const iso = book.isolatedMargin[i]!;
        if (Number.isNaN(iso)) continue;
        const mi = book.market[i]!;
        const plan = isolatedUnitPlan({ market: book.markets[mi]!, qty: book.qty[i]!, entryPrice: book.entryPrice[i]!, markPrice: book.marks[mi]!, isolatedMargin: iso }, params);
        if (plan.mode !== "none") unitPlans++;
        checksum += plan.closes.length;
      }
    }
  };

  // Interleave the runs so that machine noise hits each alike.
  const tBase1 = time(() => baseline(book, flat, baseEquity, baseMm, baseUnitEquity, baseUnitMm));
  const tFig1 = time(figures);
  const tBase2 = time(() => baseline(book, flat, baseEquity, baseMm, baseUnitEquity, baseUnitMm));
  const tFig2 = time(figures);
  const tBase = tBase1.medianMs <= tBase2.medianMs ? tBase1 : tBase2;
  const tFig = tFig1.medianMs <= tFig2.medianMs ? tFig1 : tFig2;
  const tPlans = time(withPlans, { warmup: 1, runs: 5 });

  // The two loops must agree (same formulas, same order), isolated units included.
  for (let a = 0; a < ACCOUNTS; a++) {
    if (baseEquity[a] !== out.equity[a] || baseMm[a] !== out.maintenanceMargin[a]) throw new Error(`baseline and model disagree at account ${a}`);
  }
  const unitOut = {
    notional: new Float64Array(POSITIONS), unrealizedPnl: new Float64Array(POSITIONS), maintenanceMargin: new Float64Array(POSITIONS),
    equity: new Float64Array(POSITIONS), status: new Uint8Array(POSITIONS),
  };
  accountFiguresColumnar(book.markets, book.marks, positions, accounts, out, params, unitOut);
  let isolatedCount = 0;
  for (let i = 0; i < POSITIONS; i++) {
    if (Number.isNaN(book.isolatedMargin[i]!)) continue;
    isolatedCount++;
    if (unitOut.equity[i] !== baseUnitEquity[i] || unitOut.maintenanceMargin[i] !== baseUnitMm[i]) throw new Error(`baseline and model disagree at isolated position ${i}`);
  }

  const sample = liquidatable.slice(0, PLAN_ACCOUNTS);
  if (sample.length < PLAN_ACCOUNTS) throw new Error(`only ${sample.length} liquidatable accounts generated`);
  const samplePositions = sample.map((a) => planPositionsOf(book, a));
  const sampleEquity = sample.map((a) => out.equity[a]!);
  let closes = 0;
  const tPlan10k = time(() => {
    closes = 0;
    for (let j = 0; j < sample.length; j++) closes += planPartialLiquidation(sampleEquity[j]!, samplePositions[j]!, params).closes.length;
  }, { warmup: 3, runs: 11 });

  const byId = new Map(book.params.map((p, i) => [p.id, book.markets[i]!]));
  const marks = new Map(book.params.map((p, i) => [p.id, book.marks[i]!]));
  const objects: AccountInput[] = [];
  for (let a = 0; a < ACCOUNTS; a++) {
    const ps = [];
    for (let i = book.accountStart[a]!; i < book.accountStart[a + 1]!; i++) {
      const iso = book.isolatedMargin[i]!;
      const p = { marketId: book.params[book.market[i]!]!.id, qty: book.qty[i]!, entryPrice: book.entryPrice[i]! };
      ps.push(Number.isNaN(iso) ? p : { ...p, marginMode: "isolated" as const, isolatedMargin: iso });
    }
    objects.push({ id: `a${a}`, collateral: book.collateral[a]!, positions: ps });
  }
  const tObject = time(() => {
    for (const acc of objects) checksum += evaluateAccount(acc, byId, marks, params).positions.length;
  }, { warmup: 1, runs: 3 });

  const pct = (n: number) => `${fmt((100 * n) / ACCOUNTS)}%`;
  const counts = [0, 0, 0, 0, 0];
  for (let a = 0; a < ACCOUNTS; a++) counts[out.status[a]!]!++;
  const rows: [string, number, number][] = [
    ["baseline (hand-written Float64Array loop, isolated units apart)", tBase.medianMs, POSITIONS],
    ["figures (accountFiguresColumnar)", tFig.medianMs, POSITIONS],
    [`figures + plans (${liquidatable.length.toLocaleString("en-US")} cross parts and ${unitPlans.toLocaleString("en-US")} isolated units planned)`, tPlans.medianMs, POSITIONS],
    ["object API (evaluateAccount: figures, liq. prices, plans)", tObject.medianMs, POSITIONS],
  ];
  console.log(`machine: ${os.cpus().length} CPUs (nproc ${os.availableParallelism()}), ${cpuModel()}, node ${process.version}`);
  console.log(`data: ${POSITIONS.toLocaleString("en-US")} positions (${isolatedCount.toLocaleString("en-US")} isolated), ${ACCOUNTS.toLocaleString("en-US")} accounts, ${MARKETS} markets (${book.params.filter((m) => m.maintenanceFeeRate).length} with a closing fee in maintenance), seed ${SEED} (generated in ${fmt(genMs, 0)} ms)`);
  console.log(
    `statuses: healthy ${pct(counts[0]!)}, warning ${pct(counts[1]!)}, liquidatable ${pct(counts[2]!)}, backstop ${pct(counts[3]!)}, bankrupt ${pct(counts[4]!)}`,
  );
  console.log("");
  console.log("| run | median ms | positions/s | vs baseline |");
  console.log("|---|---:|---:|---:|");
  for (const [name, ms, n] of rows) console.log(`| ${name} | ${fmt(ms)} | ${fmt(perSecond(n, ms) / 1e6, 1)} M | ${fmt(ms / tBase.medianMs, 2)}x |`);
  console.log("");
  const figRatio = tFig.medianMs / tBase.medianMs;
  console.log(`figures / baseline = ${fmt(figRatio, 2)}x (goal <= 3x): ${figRatio <= 3 ? "met" : "NOT met"}`);
  console.log(
    `plans for ${PLAN_ACCOUNTS.toLocaleString("en-US")} liquidatable accounts: median ${fmt(tPlan10k.medianMs)} ms, best ${fmt(tPlan10k.bestMs)} ms ` +
      `(${closes.toLocaleString("en-US")} closes; goal < 100 ms): ${tPlan10k.medianMs < 100 ? "met" : "NOT met"}`,
  );
  if (checksum < 0) console.log(checksum); // keeps the work observable

  const bookSize = `${POSITIONS.toLocaleString("en-US")} positions (a quarter isolated)`;
  const baselineRow = { measure: "hand-written Float64Array loop (isolated units apart)", value: tBase.medianMs };
  return [
    { benchmark: "risk", measure: `figures (accountFiguresColumnar), ${bookSize}, median`, value: tFig.medianMs, unit: "ms", baseline: baselineRow, ratio: figRatio, goal: "≤ 3x the baseline", met: figRatio <= 3 },
    { benchmark: "risk", measure: `figures + plans (${liquidatable.length.toLocaleString("en-US")} cross parts, ${unitPlans.toLocaleString("en-US")} isolated units planned), median`, value: tPlans.medianMs, unit: "ms", baseline: baselineRow, ratio: tPlans.medianMs / tBase.medianMs },
    { benchmark: "risk", measure: "object API (evaluateAccount), median", value: tObject.medianMs, unit: "ms", baseline: baselineRow, ratio: tObject.medianMs / tBase.medianMs },
    { benchmark: "risk", measure: `plans for ${PLAN_ACCOUNTS.toLocaleString("en-US")} liquidatable accounts, median`, value: tPlan10k.medianMs, unit: "ms", goal: "< 100 ms", met: tPlan10k.medianMs < 100 },
  ];
}
