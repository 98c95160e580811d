import "server-only";
import type { MarketsResponse } from "@/lib/contracts/markets";
import { findRuntime } from "./runtime-registry";

/**
 * Every read the pages and the API make of live state goes through here, so that access rules
 * can be applied in one place.
 */
export class NotReadyError extends Error {
  constructor() {
    super("Liqdesk is starting: the live engine is not ready yet");
    this.name = "NotReadyError";
  }
}

function runtime() {
  const rt = findRuntime();
  if (!rt) throw new NotReadyError();
  return rt;
}

export function getMarketsSnapshot(): MarketsResponse {
  return runtime().marketsSnapshot();
}

export function getDisplaySettings(): { staleAfterMs: number } {
  return { staleAfterMs: runtime().env.LIQDESK_STALE_AFTER_MS };
}
