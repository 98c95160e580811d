import "server-only";
import type { Server as HttpServer } from "node:http";
import { Server } from "socket.io";
import { accountOfRoom, DESK_ROOM, MARKETS_ROOM, type ClientToServerEvents, type ServerToClientEvents } from "@/lib/contracts/socket-events";
import type { Env } from "../env";
import type { Logger } from "../logger";
import type { PrismaClient } from "../db/prisma-client";
import type { LiqdeskAuth } from "../auth/auth";
import { socketRooms } from "../auth/policy";
import type { RoomKind } from "@/lib/contracts/socket-events";
import { answerWhenWritable } from "./answer-when-writable";
import { onClientEvent, refuseUnknownEvents } from "./client-events";
import type { Feed, FeedSocket } from "./feed";
import { authorizeSockets, principalOf } from "./handshake";
import { sendBacklog, type SendBacklog } from "./send-backlog";
import { SocketSessions } from "./socket-sessions";

export interface TransportDeps {
  auth: LiqdeskAuth;
  prisma: PrismaClient;
  env: Pick<Env, "LIQDESK_PUBLIC_URL" | "PORT">;
  log: Logger;
}

/**
 * The socket.io side of the server, shared by every feed. A handshake is accepted only from this
 * site with a session (handshake.ts); each connection is put in the rooms the policy gives it
 * (policy.ts `socketRooms`: the server's choice, never the client's), events no contract names are
 * refused, and then every registered feed gets it (feed.ts). Sessions are checked again every
 * 500 ms and at sign-out: a socket lives only as long as its session, and is re-roomed when a
 * trader's accounts change (socket-sessions.ts).
 */
export class FeedTransport {
  readonly io: Server<ClientToServerEvents, ServerToClientEvents>;
  private readonly feeds: Feed[] = [];
  private readonly sessions: SocketSessions;

  constructor(httpServer: HttpServer, deps: TransportDeps) {
    this.io = new Server(httpServer, { serveClient: false, transports: ["websocket", "polling"] });
    authorizeSockets(this.io, deps);
    this.sessions = new SocketSessions(this.io, deps.prisma, deps.log);
    this.io.on("connection", (socket) => this.connect(socket));
  }

  /** Every connection from now on goes to `feed` too, after the feeds registered before it. */
  register<F extends Feed>(feed: F): F {
    this.feeds.push(feed);
    return feed;
  }

  private connect(socket: FeedSocket): void {
    refuseUnknownEvents(socket);
    const rooms = socketRooms(principalOf(socket)).given;
    void socket.join([...rooms]);
    onClientEvent(socket, "session:rooms", (_, ack) => ack?.([...socket.rooms].filter((r) => r !== socket.id)));
    // A snapshot is answered when the connection can take it, one copy of each kind at most: a client that does not read cannot pile them up.
    const connection = { rooms, answer: answerWhenWritable(socket) };
    for (const feed of this.feeds) feed.connect(socket, connection);
  }

  /** Starts the session checks and every feed's pushes. */
  start(): void {
    this.sessions.start();
    for (const feed of this.feeds) feed.start();
  }

  /** Connected clients in the desk room, the markets room and in any account room. */
  clientsByRoomKind(): Record<RoomKind, number> {
    const rooms = this.io.sockets.adapter.rooms;
    const inAccountRooms = new Set<string>();
    for (const [room, ids] of rooms) if (accountOfRoom(room) !== null) for (const id of ids) inAccountRooms.add(id);
    return { desk: rooms.get(DESK_ROOM)?.size ?? 0, markets: rooms.get(MARKETS_ROOM)?.size ?? 0, account: inAccountRooms.size };
  }

  /** Bytes held in this process for socket clients, not yet written to their connections. */
  sendBacklog(): SendBacklog {
    return sendBacklog(this.io);
  }

  /** Stops every feed and the session checks, then closes every connection. */
  async close(): Promise<void> {
    for (const feed of this.feeds) feed.stop();
    this.sessions.stop();
    await new Promise<void>((resolve) => this.io.close(() => resolve()));
  }
}
