/** Output of `risk stress` (spec §8): see `stressTest` in lib/risk and docs/API.md. */
export type {
  StressResult as StressReport,
  ShockReport,
  CascadeReport,
  CascadeRound,
  CascadeMarketRound,
  StatusCounts,
  InsuranceFundCover,
  AccountDeficit,
} from "@/lib/risk";
