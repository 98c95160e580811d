import "server-only";
import type { Server } from "socket.io";
import { DESK_ROOM, MARKETS_ROOM, type ClientToServerEvents, type ServerToClientEvents } from "@/lib/contracts/socket-events";
import { onClientEvent } from "./client-events";
import type { Connection, Feed, FeedSocket } from "./feed";

/** The numbered streams: a snapshot on joining and on asking (`<name>:resync`), then deltas (delta-stream.ts). */
export type StreamName = "markets" | "desk";
export type SnapshotOf<S extends StreamName> = Parameters<ServerToClientEvents[`${S}:snapshot`]>[0];
export type DeltaOf<S extends StreamName> = Parameters<ServerToClientEvents[`${S}:delta`]>[0];

const ROOMS: Record<StreamName, string> = { markets: MARKETS_ROOM, desk: DESK_ROOM };

/**
 * socket.io's typed `emit` cannot follow an event name built from a type parameter: the same call
 * with its types checked here instead (`SnapshotOf`, `DeltaOf`, from the contract's event map).
 */
interface Emitter {
  emit(event: string, payload: unknown): boolean;
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
 * The feed of one numbered stream (markets, desk) on this instance's sockets: a connection in
 * the stream's room gets its snapshot on joining and whenever it asks (a gap in its deltas), and
 * every delta the stream emits goes to the room, once serialised for all its clients.
 *
 * `snapshot`: from this process's runtime it is had in the turn it is asked for, so every delta
 * emitted before it is older, every one after newer. From the leader (a follower instance), a
 * delta may overtake it: the client drops deltas not newer than its snapshot, and resyncs on a
 * gap. A snapshot that cannot be had (no leader answers) ends the connection: the client
 * reconnects and asks again.
 */
export class StreamFeed<S extends StreamName> implements Feed {
  private readonly room: string;

  constructor(
    private readonly io: Server<ClientToServerEvents, ServerToClientEvents>,
    private readonly stream: S,
    private readonly snapshot: () => SnapshotOf<S> | Promise<SnapshotOf<S>>,
  ) {
    this.room = ROOMS[stream];
  }

  connect(socket: FeedSocket, { rooms, answer }: Connection): void {
    const drop = () => socket.disconnect(true);
    const send = () => deliver(this.snapshot, (snapshot) => (socket as Emitter).emit(`${this.stream}:snapshot`, snapshot), drop);
    // Answered inside the stream's room only (a socket whose user lost the desk role is no longer
    // in the desk room: socket-sessions.ts); every socket's payloads are checked all the same.
    onClientEvent(socket, `${this.stream}:resync`, () => {
      if (socket.rooms.has(this.room)) answer(send);
    });
    if (rooms.includes(this.room)) send();
  }

  /** Sends a delta to the room; a client whose transport is not ready skips it (volatile) instead of queueing it. */
  publish(delta: DeltaOf<S>): void {
    (this.io.to(this.room).volatile as Emitter).emit(`${this.stream}:delta`, delta);
  }

  start(): void {}

  stop(): void {}
}
