import "server-only";
import type { Server as HttpServer } from "node:http";
import { Server } from "socket.io";
import { DESK_ROOM, type ClientToServerEvents, type ServerToClientEvents } from "@/lib/contracts/socket-events";
import type { MarketsResponse, MarkUpdate } from "@/lib/contracts/markets";
import type { DeskDelta, DeskSnapshot } from "@/lib/contracts/desk";

/** At most this many pushes per second to one room (DESIGN: updates coalesced to ≤ 10/s). */
const FLUSH_INTERVAL_MS = 100;

export interface SocketHubSource {
  marketsSnapshot(): MarketsResponse;
  deskSnapshot(): Promise<DeskSnapshot>;
}

/**
 * The socket.io side of the server: computes each client's rooms, sends a snapshot on join, then
 * numbered deltas, coalesced so that a burst of ticks becomes one push per interval. Only the
 * latest state of each market is kept between pushes, so a burst never grows a buffer.
 */
export class SocketHub {
  readonly io: Server<ClientToServerEvents, ServerToClientEvents>;
  private seq = 0;
  private readonly pending = new Map<string, MarkUpdate>();
  private timer: NodeJS.Timeout | null = null;
  private lastFlush = 0;

  constructor(httpServer: HttpServer, private readonly source: SocketHubSource) {
    this.io = new Server(httpServer, { serveClient: false, transports: ["websocket", "polling"] });
    this.io.on("connection", (socket) => {
      // Until sign-in exists every client is a desk viewer; the room is the server's choice.
      void socket.join(DESK_ROOM);
      socket.emit("markets:snapshot", this.snapshot());
      socket.on("markets:resync", () => socket.emit("markets:snapshot", this.snapshot()));
      const sendDesk = () => {
        source.deskSnapshot().then((s) => socket.emit("desk:snapshot", s), () => socket.disconnect(true));
      };
      sendDesk();
      socket.on("desk:resync", sendDesk);
    });
  }

  /** Sequence number of the last delta pushed: a snapshot taken now is as new as that delta. */
  currentSeq(): number {
    return this.seq;
  }

  private snapshot(): MarketsResponse {
    return this.source.marketsSnapshot();
  }

  /** Queues a market's new state; it is pushed with the next coalesced delta. */
  publishMark(update: MarkUpdate): void {
    this.pending.set(update.marketId, update);
    if (this.timer) return;
    const wait = Math.max(0, this.lastFlush + FLUSH_INTERVAL_MS - Date.now());
    this.timer = setTimeout(() => this.flush(), wait);
  }

  private flush(): void {
    this.timer = null;
    this.lastFlush = Date.now();
    if (this.pending.size === 0) return;
    const updates = [...this.pending.values()];
    this.pending.clear();
    this.seq += 1;
    // volatile: a client whose transport is not ready skips this frame instead of queueing it.
    this.io.to(DESK_ROOM).volatile.emit("markets:delta", { seq: this.seq, serverTime: this.lastFlush, updates });
  }

  /** Pushes a desk delta to the desk room; a client not ready for it skips the frame. */
  publishDesk(delta: DeskDelta): void {
    this.io.to(DESK_ROOM).volatile.emit("desk:delta", delta);
  }

  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await new Promise<void>((resolve) => this.io.close(() => resolve()));
  }
}
