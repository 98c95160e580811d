import "server-only";
import type { MarketsResponse } from "@/lib/contracts/markets";
import type { MarketsStream } from "../feeds/markets-stream";

/** The markets: marks, sources and their age, staleness, five minutes of marks. */
export class MarketsService {
  constructor(private readonly stream: MarketsStream, private readonly staleAfterMs: number) {}

  snapshot(): MarketsResponse {
    return this.stream.snapshot();
  }

  /** What the pages need to age figures: how old a price may be before it is stale (spec §7). */
  displaySettings(): { staleAfterMs: number } {
    return { staleAfterMs: this.staleAfterMs };
  }
}
