import "server-only";
import type { Server as HttpServer } from "node:http";
import { Server, type Socket } from "socket.io";
import { DESK_ROOM, type ClientToServerEvents, type ServerToClientEvents } from "@/lib/contracts/socket-events";
import { accountRoom, MARKETS_ROOM } from "./auth/policy";
import { answerWhenWritable } from "./answer-when-writable";
import { onClientEvent, refuseUnknownEvents } from "./client-events";
import { serverMetrics, type RoomKind } from "./metrics";
import type { MarketsResponse, MarkUpdate } from "@/lib/contracts/markets";
import type { DeskDelta, DeskSnapshot } from "@/lib/contracts/desk";

/** At most this many pushes per second to one room (DESIGN: updates coalesced to ≤ 10/s). */
const FLUSH_INTERVAL_MS = 100;

/** Where snapshots come from: this process's runtime (answers in the same turn) or, on a follower, the leader. */
export interface SocketHubSource {
  marketsSnapshot(): MarketsResponse | Promise<MarketsResponse>;
  /** The desk stream's state at its last delta (throws while it has not started). */
  deskSnapshot(): DeskSnapshot | Promise<DeskSnapshot>;
}

/** What this process holds for one connection and has not yet handed to the kernel (engine.io keeps it private: read only). */
interface EngineConnection {
  /** Packets waiting for the transport to be writable again (engine.io's `writeBuffer`). */
  writeBuffer?: { data?: unknown }[];
  /** The websocket transport's `ws` socket: `bufferedAmount` is what it has queued in user space. */
  transport?: { socket?: { bufferedAmount?: number } };
}

/** Bytes held for socket clients in this process, all together and for the one holding most. */
export interface SendBacklog {
  bytes: number;
  largest: number;
}

function packetBytes(data: unknown): number {
  if (typeof data === "string") return Buffer.byteLength(data);
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return data.byteLength;
  return 0;
}

/** Calls `send` with the value, in this turn when it is not a promise; `fail` on any error. */
function deliver<T>(get: () => T | Promise<T>, send: (value: T) => void, fail: () => void): void {
  try {
    const value = get();
    if (value instanceof Promise) value.then(send, fail);
    else send(value);
  } catch {
    fail();
  }
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
  /** Per market, the receipt time of the oldest price tick the pending update carries (tick-to-push latency). */
  private readonly pendingReceipts = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private lastFlush = 0;

  /** `roomsOf`: the rooms the policy gives a connection (lib/server/auth/socket-auth.ts); the server's choice, never the client's. */
  constructor(httpServer: HttpServer, source: SocketHubSource, roomsOf: (socket: Socket) => string[]) {
    this.io = new Server(httpServer, { serveClient: false, transports: ["websocket", "polling"] });
    this.io.on("connection", (socket) => {
      refuseUnknownEvents(socket);
      const rooms = roomsOf(socket);
      void socket.join(rooms);
      // A snapshot that cannot be had (no leader answers) ends the connection: the client reconnects and asks again.
      const drop = () => socket.disconnect(true);
      // A resync is answered when the connection can take it, one copy at most: a client that does not read cannot pile up snapshots.
      const answer = answerWhenWritable(socket);
      const sendMarkets = () => deliver(() => source.marketsSnapshot(), (snapshot) => socket.emit("markets:snapshot", snapshot), drop);
      // From this process's runtime it is sent in the turn it is asked for: every delta emitted
      // before it is older, every one after newer. From the leader, a delta may overtake it: the
      // client drops deltas not newer than its snapshot, and resyncs on a gap.
      const sendDesk = () => deliver(() => source.deskSnapshot(), (snapshot) => socket.emit("desk:snapshot", snapshot), drop);
      // Answered inside the stream's room only (a socket whose user lost the desk role is no longer
      // in the desk room: socket-sessions.ts); every socket's payloads are checked all the same.
      onClientEvent(socket, "markets:resync", () => {
        if (socket.rooms.has(MARKETS_ROOM)) answer(sendMarkets);
      });
      onClientEvent(socket, "desk:resync", () => {
        if (socket.rooms.has(DESK_ROOM)) answer(sendDesk);
      });
      if (rooms.includes(MARKETS_ROOM)) sendMarkets();
      if (rooms.includes(DESK_ROOM)) sendDesk();
    });
  }

  /** Sequence number of the last delta pushed: a snapshot taken now is as new as that delta. */
  currentSeq(): number {
    return this.seq;
  }

  /**
   * Numbers the next deltas after `seq` (when higher): an instance that takes over the engine
   * continues above every number the previous leader's clients hold, which drop older ones.
   */
  continueAfter(seq: number): void {
    this.seq = Math.max(this.seq, seq);
  }

  /** Queues a market's new state; it is pushed with the next coalesced delta. `receivedAt`: when the tick behind it arrived. */
  publishMark(update: MarkUpdate, receivedAt?: number): void {
    this.pending.set(update.marketId, update);
    if (receivedAt !== undefined && !this.pendingReceipts.has(update.marketId)) this.pendingReceipts.set(update.marketId, receivedAt);
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
    this.io.to(MARKETS_ROOM).volatile.emit("markets:delta", { seq: this.seq, serverTime: this.lastFlush, updates });
    const latency = serverMetrics().tickToPushSeconds;
    for (const receivedAt of this.pendingReceipts.values()) latency.observe(Math.max(0, this.lastFlush - receivedAt) / 1000);
    this.pendingReceipts.clear();
  }

  /** Connected clients in the desk room, the markets room and in any account room. */
  clientsByRoomKind(): Record<RoomKind, number> {
    const rooms = this.io.sockets.adapter.rooms;
    const inAccountRooms = new Set<string>();
    const prefix = accountRoom("");
    for (const [room, ids] of rooms) if (room.startsWith(prefix)) for (const id of ids) inAccountRooms.add(id);
    return { desk: rooms.get(DESK_ROOM)?.size ?? 0, markets: rooms.get(MARKETS_ROOM)?.size ?? 0, account: inAccountRooms.size };
  }

  /**
   * Bytes this process holds for its socket clients and has not yet handed to the kernel: packets
   * waiting in engine.io's write buffer and what each websocket has queued (`bufferedAmount`).
   * Bounded for a client that stops reading: while its transport is busy, volatile frames are
   * skipped, so only the frame in flight and the odd heartbeat or snapshot wait.
   */
  sendBacklog(): SendBacklog {
    const connections = (this.io.engine as unknown as { clients: Record<string, EngineConnection> }).clients;
    let bytes = 0;
    let largest = 0;
    for (const conn of Object.values(connections)) {
      let held = conn.transport?.socket?.bufferedAmount ?? 0;
      for (const packet of conn.writeBuffer ?? []) held += packetBytes(packet.data);
      bytes += held;
      largest = Math.max(largest, held);
    }
    return { bytes, largest };
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
