/** Benchmarks draw their data from the simulator's seeded PRNG, so every run sees the same data. */
export { createPrng as mulberry32, logUniform, normal, uniform } from "@/lib/sim/prng";
