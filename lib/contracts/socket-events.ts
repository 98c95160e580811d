import type { MarketsResponse, MarkUpdate } from "./markets";
import type { AccountView, DeskDelta, DeskSnapshot } from "./desk";

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
  /** Room `account:<id>`: the account's live view, pushed once a second while watched. */
  "account:view": (update: AccountViewUpdate) => void;
}

export interface AccountViewUpdate {
  accountId: string;
  view: AccountView;
  serverTime: number;
}

/** The answer to `account:watch`: joined, or why not (403 not yours, 404 no such account). */
export type AccountWatchAck = { ok: true } | { ok: false; status: 403 | 404; message: string };

/** Events a client may send. */
export interface ClientToServerEvents {
  /** Asks for a fresh markets snapshot (after a gap in deltas). */
  "markets:resync": () => void;
  /** Asks for a fresh desk snapshot (desk room only). */
  "desk:resync": () => void;
  /**
   * Watch one account (its page): the server checks the policy (the desk: any; a trader: their
   * own), puts the socket in room `account:<id>` and sends its view. A trader's own accounts are
   * watched from the start.
   */
  "account:watch": (accountId: string, ack: (result: AccountWatchAck) => void) => void;
  "account:unwatch": (accountId: string) => void;
  /** The rooms the server put this socket in (what the policy gave it). */
  "session:rooms": (ack: (rooms: string[]) => void) => void;
}

export const DESK_ROOM = "desk";
