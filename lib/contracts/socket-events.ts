import type { MarketsResponse, MarkUpdate } from "./markets";

/** A numbered batch of changes; a client drops any delta whose seq is not newer than its snapshot. */
export interface MarketsDelta {
  seq: number;
  serverTime: number;
  updates: MarkUpdate[];
}

/** Events the server sends. Rooms are computed by the server; a client never names its own room. */
export interface ServerToClientEvents {
  "markets:snapshot": (snapshot: MarketsResponse) => void;
  "markets:delta": (delta: MarketsDelta) => void;
}

/** Events a client may send. */
export interface ClientToServerEvents {
  /** Asks for a fresh snapshot (after a gap in deltas). */
  "markets:resync": () => void;
}

export const DESK_ROOM = "desk";
