import type { MarketsResponse, MarkUpdate } from "./markets";
import type { DeskDelta, DeskSnapshot } from "./desk";

/** A numbered batch of changes; a client drops any delta whose seq is not newer than its snapshot. */
export interface MarketsDelta {
  seq: number;
  serverTime: number;
  updates: MarkUpdate[];
}

/**
 * Events the server sends. Rooms are computed by the server; a client never names its own room.
 * Each stream (markets, desk) has its own sequence: on join and on every reconnect the server
 * sends both snapshots, then numbered deltas.
 */
export interface ServerToClientEvents {
  "markets:snapshot": (snapshot: MarketsResponse) => void;
  "markets:delta": (delta: MarketsDelta) => void;
  "desk:snapshot": (snapshot: DeskSnapshot) => void;
  "desk:delta": (delta: DeskDelta) => void;
}

/** Events a client may send. */
export interface ClientToServerEvents {
  /** Asks for a fresh markets snapshot (after a gap in deltas). */
  "markets:resync": () => void;
  /** Asks for a fresh desk snapshot (desk room only). */
  "desk:resync": () => void;
}

export const DESK_ROOM = "desk";
