/**
 * Quick mode: `LIQDESK_BENCH_QUICK=1 npm run bench` runs every benchmark at a reduced size and for
 * a short time, to try the plumbing (docs/PERFORMANCE.md, top). Its numbers are never recorded in
 * docs/bench-results.json. `LIQDESK_BENCH_SCALE` (0 < scale ≤ 1) sets the size of the benchmarks
 * that scale a book or a client count; quick mode means a scale of 0.1 unless it is set.
 */
export const QUICK = process.env.LIQDESK_BENCH_QUICK === "1";

/** The size factor of the benchmarks that scale: LIQDESK_BENCH_SCALE, else 0.1 in quick mode, else 1. */
export function benchScale(): number {
  const raw = process.env.LIQDESK_BENCH_SCALE;
  const scale = raw === undefined || raw === "" ? (QUICK ? 0.1 : 1) : Number(raw);
  if (!(scale > 0 && scale <= 1)) throw new RangeError(`LIQDESK_BENCH_SCALE must be a number in (0, 1], got "${raw}"`);
  return scale;
}

/** True when the numbers are not full-size ones: quick mode or a scale below 1. */
export function isReducedRun(): boolean {
  return QUICK || benchScale() !== 1;
}

/** `full` normally, `quick` in quick mode: for a benchmark's durations and counts. */
export const quickOr = <T>(full: T, quick: T): T => (QUICK ? quick : full);
