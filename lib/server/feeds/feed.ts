import "server-only";
import type { Socket } from "socket.io";
import type { ClientToServerEvents, ServerToClientEvents } from "@/lib/contracts/socket-events";

export type FeedSocket = Socket<ClientToServerEvents, ServerToClientEvents>;

/** What the transport hands every feed with a new connection. */
export interface Connection {
  /** The rooms the policy put it in (policy.ts `socketRooms`), joined already. */
  readonly rooms: readonly string[];
  /**
   * Sends a snapshot now, or once when the connection can take it (answer-when-writable.ts): one
   * per connection, shared by its feeds, so that a client that does not read holds at most one
   * waiting snapshot of each kind.
   */
  readonly answer: (send: () => void) => void;
}

/** How every feed registers with the transport (transport.ts `register`). */
export interface Feed {
  /** A new connection, in its rooms: send what it gets on joining, listen to the requests it may make. */
  connect(socket: FeedSocket, connection: Connection): void;
  /** Starts the feed's own pushes (transport.ts `start`). */
  start(): void;
  /** Stops them (transport.ts `close`, before the connections close). */
  stop(): void;
}
