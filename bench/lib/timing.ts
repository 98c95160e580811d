/** Timing helpers for benchmarks: warm up, then time several runs and keep the median and best. */
export interface Timing {
  readonly medianMs: number;
  readonly bestMs: number;
  readonly runs: number;
}

export function time(fn: () => void, options: { warmup?: number; runs?: number } = {}): Timing {
  const warmup = options.warmup ?? 2;
  const runs = options.runs ?? 7;
  for (let i = 0; i < warmup; i++) fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    fn();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  samples.sort((a, b) => a - b);
  return { medianMs: samples[Math.floor(samples.length / 2)]!, bestMs: samples[0]!, runs };
}

export const fmt = (x: number, digits = 1) => x.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
export const perSecond = (count: number, ms: number) => (count / ms) * 1000;
