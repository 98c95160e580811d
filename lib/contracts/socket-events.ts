import { z } from "zod";
import type { FieldError } from "./api-error";
import { textSchema } from "./text";
import type { MarketsResponse, MarkUpdate } from "./markets";
import type { DeskDelta, DeskSnapshot } from "./desk";
import type { AccountView } from "./book-views";
import type { AlertsChange } from "./alerts";
import type { MarginCallUpdate } from "./margin-calls";

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
  /** Room `account:<id>`: the account's live view, pushed within 100 ms of a change while watched (every 5 s without one). */
  "account:view": (update: AccountViewUpdate) => void;
  /** Rooms `account:<id>` and `desk`: a margin call issued, met, expired or cancelled, the moment it happens (lib/contracts/margin-calls.ts). */
  "account:margin-call": (update: MarginCallUpdate) => void;
  "session:ended": (notice: SessionEndedNotice) => void;
  /** Room `alerts` (the desk): alerts were raised, resolved, acknowledged, snoozed or assigned, or a snooze ended; the counts after it. */
  "alerts:changed": (change: AlertsChange) => void;
}

export interface AccountViewUpdate {
  accountId: string;
  view: AccountView;
  serverTime: number;
}

/**
 * The acknowledgement of an event whose payload the contract refuses (`clientEventPayloads`): 400
 * `invalid_payload`, naming each bad argument (`[0]` the first). Sent only when the client gave an
 * acknowledgement callback; nothing else happens.
 */
export interface SocketPayloadError {
  ok: false;
  status: 400;
  code: "invalid_payload" | "unknown_event";
  message: string;
  fields?: FieldError[];
}

/** The answer to `account:watch`: joined, or why not (400 bad payload, 403 not yours, 404 no such account). */
export type AccountWatchAck = { ok: true } | { ok: false; status: 403 | 404; message: string } | SocketPayloadError;

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
  "session:rooms": (ack: (rooms: string[] | SocketPayloadError) => void) => void;
}

/**
 * Server events about the connection itself. `session:ended`: the session behind this socket
 * was signed out, expired or revoked, or its role changed; the server disconnects the socket
 * right after (a page signs in again or reconnects as the new role).
 */
export interface SessionEndedNotice {
  reason: "signed_out" | "expired" | "role_changed";
}

/** An account id: the API's text rule (lib/contracts/text.ts: no NUL, no lone surrogate), at most 128 characters, no control character. */
const accountId = textSchema(128).regex(/^[^\u0000-\u001f\u007f]*$/, { error: "must not contain control characters" });

/**
 * The arguments every client event may carry (the acknowledgement callback, when last, aside),
 * as zod tuples: the server checks each event against this table before it acts on it.
 */
export const clientEventPayloads = {
  "markets:resync": z.tuple([]),
  "desk:resync": z.tuple([]),
  "account:watch": z.tuple([accountId]),
  "account:unwatch": z.tuple([accountId]),
  "session:rooms": z.tuple([]),
} as const satisfies { [E in keyof ClientToServerEvents]: z.ZodTuple };

/**
 * The socket rooms, named here only (DESIGN.md "Socket events"). The server puts a connection in
 * them (lib/server/auth/policy.ts `socketRooms` decides which); a client never names one.
 */
/** The kinds of room a socket can be in (each account has a room of its own kind "account"). */
export type RoomKind = "desk" | "markets" | "account";
export const ROOM_KINDS: readonly RoomKind[] = ["desk", "markets", "account"];
export const DESK_ROOM = "desk";
export const MARKETS_ROOM = "markets";
/** The desk's alerts: `alerts:changed` (docs/ALERTS.md). */
export const ALERTS_ROOM = "alerts";
const ACCOUNT_ROOM_PREFIX = "account:";
/** The room of one account's live view (`account:view`). */
export const accountRoom = (accountId: string) => `${ACCOUNT_ROOM_PREFIX}${accountId}`;
/** The account whose room this is, or null for any other room. */
export const accountOfRoom = (room: string): string | null => (room.startsWith(ACCOUNT_ROOM_PREFIX) ? room.slice(ACCOUNT_ROOM_PREFIX.length) : null);
