/** A small seeded PRNG (mulberry32) so that benchmark data is the same on every run. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Uniform in [min, max). */
export const uniform = (rand: () => number, min: number, max: number) => min + (max - min) * rand();

/** Log-uniform in [min, max). */
export const logUniform = (rand: () => number, min: number, max: number) => Math.exp(uniform(rand, Math.log(min), Math.log(max)));

/** Standard normal (Box–Muller). */
export function normal(rand: () => number): number {
  const u = 1 - rand();
  const v = rand();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
