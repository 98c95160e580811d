import "server-only";
import type { Server } from "socket.io";
import { ALERTS_ROOM, type ClientToServerEvents, type ServerToClientEvents } from "@/lib/contracts/socket-events";
import type { AlertsChange } from "@/lib/contracts/alerts";
import type { Feed } from "./feed";

/**
 * The desk's alerts on this instance's sockets: `alerts:changed` to the room `alerts` (the policy
 * puts the desk in it). Nothing on joining: a page reads the alerts and their counts over HTTP and
 * reads them again on every reconnect; the pushes say what changed and carry the counts. Not
 * volatile: a push is rare (coalesced, lib/server/alerts/alerts-push.ts) and a missed one would
 * leave a count wrong until the next.
 */
export class AlertsFeed implements Feed {
  constructor(private readonly io: Server<ClientToServerEvents, ServerToClientEvents>) {}

  connect(): void {}

  publish(change: AlertsChange): void {
    this.io.to(ALERTS_ROOM).emit("alerts:changed", change);
  }

  start(): void {}

  stop(): void {}
}
