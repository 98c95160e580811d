/**
 * The venue-sized book of the engine benchmark (docs/PERFORMANCE.md, "Engine"): 1,000,000 positions
 * in 250,000 accounts (1–7 each, distinct markets) over 50 markets with 3–6 tiers, seed 20240612;
 * market M00 held by exactly 50,000 accounts drawn at random. With the default sizes it yields the
 * book `bench/engine.ts`, `bench/health.ts` and the SQL baseline use, so that their figures are
 * about the same data. Smaller sizes scale accounts, positions and M00's holders together.
 */
import { compileMarket, qtyOfLots, type CompiledMarket, type MarketParams } from "@/lib/risk";
import { logUniform, mulberry32, normal, uniform } from "./prng";

export const BOOK_SEED = 20240612;

export interface BookSize {
  markets: number;
  accounts: number;
  positions: number;
  /** Accounts holding M00 (no other account holds it). */
  hotHolders: number;
}

export const VENUE_BOOK: BookSize = { markets: 50, accounts: 250_000, positions: 1_000_000, hotHolders: 50_000 };

/** The venue book with accounts, positions and M00's holders multiplied by `scale` (0 < scale ≤ 1). */
export function scaledBook(scale: number): BookSize {
  if (!(scale > 0 && scale <= 1)) throw new RangeError(`scale must be in (0, 1], got ${scale}`);
  const r = (n: number) => Math.max(1, Math.round(n * scale));
  return { markets: VENUE_BOOK.markets, accounts: r(VENUE_BOOK.accounts), positions: r(VENUE_BOOK.positions), hotHolders: r(VENUE_BOOK.hotHolders) };
}

export interface GeneratedBook {
  size: BookSize;
  /** 1 for the accounts holding M00. */
  hot: Uint8Array;
  params: MarketParams[];
  markets: CompiledMarket[];
  marks: Float64Array;
  /** Positions of account `a` are rows `accountStart[a] .. accountStart[a + 1] - 1`. */
  accountStart: Int32Array;
  collateral: Float64Array;
  market: Int32Array;
  qty: Float64Array;
  entryPrice: Float64Array;
}

export const bookAccountId = (a: number) => `acct-${a}`;

/** `count` markets with 3–6 tiers, prices log-uniform from 0.05 to 70,000, about $10 a lot. */
export function generateMarkets(rand: () => number, count: number): { params: MarketParams[]; marks: Float64Array } {
  const params: MarketParams[] = [];
  const marks = new Float64Array(count);
  for (let m = 0; m < count; m++) {
    const price = Number(logUniform(rand, 0.05, 70000).toPrecision(6));
    const lotSize = Number((10 ** Math.round(Math.log10(10 / price))).toPrecision(1));
    const tierCount = 3 + Math.floor(rand() * 4);
    let cap = Math.round(logUniform(rand, 10000, 100000));
    let mmr = Number(uniform(rand, 0.004, 0.02).toFixed(4));
    const tiers = [];
    for (let k = 0; k < tierCount; k++) {
      tiers.push({ maxNotional: k === tierCount - 1 ? null : cap, mmr, maxLeverage: Math.max(1, Math.floor(0.5 / mmr)) });
      cap = Math.round(cap * uniform(rand, 3, 6));
      mmr = Number((mmr * uniform(rand, 1.2, 2.5)).toFixed(4));
    }
    params.push({
      id: `M${String(m).padStart(2, "0")}-PERP`,
      lotSize,
      tickSize: Number((10 ** Math.round(Math.log10(price / 10000))).toPrecision(1)),
      liquidationFeeRate: tiers[0]!.mmr / 4,
      tiers,
      liquidity: { halfSpreadBps: Number(uniform(rand, 0.5, 10).toFixed(1)), depthPer1Pct: Math.round(logUniform(rand, 2e5, 2e7)) },
    });
    marks[m] = price;
  }
  return { params, marks };
}

/**
 * The book: 1–7 positions per account (distinct markets); `size.hotHolders` accounts drawn at
 * random hold M00, no other does. `atRisk` is the share of accounts drawn at or below maintenance
 * (health ≤ 1): 0.025 is the engine benchmark's "calm" book, 0.13 its "stressed" one.
 */
export function generateBook(atRisk: number, size: BookSize = VENUE_BOOK): GeneratedBook {
  const { markets: MARKETS, accounts: ACCOUNTS, positions: POSITIONS, hotHolders: HOT_HOLDERS } = size;
  if (POSITIONS < ACCOUNTS || POSITIONS > 7 * ACCOUNTS) throw new RangeError(`positions must be 1–7 per account, got ${POSITIONS} for ${ACCOUNTS} accounts`);
  const rand = mulberry32(BOOK_SEED);
  const { params, marks } = generateMarkets(rand, MARKETS);
  const markets = params.map(compileMarket);
  const pick = Int32Array.from({ length: ACCOUNTS }, (_, i) => i);
  const hot = new Uint8Array(ACCOUNTS);
  for (let i = 0; i < HOT_HOLDERS; i++) {
    const j = i + Math.floor(rand() * (ACCOUNTS - i));
    [pick[i], pick[j]] = [pick[j]!, pick[i]!];
    hot[pick[i]!] = 1;
  }
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
  const taken = new Uint8Array(MARKETS);
  let row = 0;
  for (let a = 0; a < ACCOUNTS; a++) {
    accountStart[a] = row;
    taken.fill(0);
    taken[0] = 1; // M00 only where placed below
    let upnl = 0;
    let mm = 0;
    for (let j = 0; j < counts[a]!; j++) {
      let mi: number;
      if (j === 0 && hot[a]) mi = 0;
      else {
        do mi = 1 + Math.floor(rand() * (MARKETS - 1));
        while (taken[mi]);
      }
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
      upnl += q * (price - entry);
      mm += notional * m.mmr[k]! - m.cum[k]!;
      row++;
    }
    // Health (equity / MM): `atRisk` of the accounts at or below 1 (a tenth bankrupt, three
    // tenths under the backstop), a sliver just above the line, the rest well above.
    const r = rand();
    const health =
      r < atRisk * 0.1
        ? uniform(rand, -0.5, -0.01)
        : r < atRisk * 0.4
          ? uniform(rand, 0.2, 0.66)
          : r < atRisk
            ? uniform(rand, 0.67, 1)
            : r < atRisk + 0.03
              ? uniform(rand, 1, 1.25)
              : uniform(rand, 1.25, 6);
    collateral[a] = Math.max(0, health * mm - upnl);
  }
  accountStart[ACCOUNTS] = row;
  return { size, hot, params, markets, marks, accountStart, collateral, market, qty, entryPrice };
}
