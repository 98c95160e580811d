import "server-only";
import type { Server } from "socket.io";
import { accountRoom, DESK_ROOM, type ClientToServerEvents, type ServerToClientEvents } from "@/lib/contracts/socket-events";
import type { MarginCallUpdate } from "@/lib/contracts/margin-calls";

/**
 * A margin call issued or closed, to the account's room (its trader, a desk page watching it) and
 * the desk room, at once and reliably (not volatile: a banner must not be dropped). Sent through
 * the adapter, so with several instances (the Redis fan-out) every instance's sockets get it once.
 */
export function pushMarginCall(io: Server<ClientToServerEvents, ServerToClientEvents>, update: MarginCallUpdate): void {
  io.to([accountRoom(update.accountId), DESK_ROOM]).emit("account:margin-call", update);
}
