"use client";
import { io, type Socket } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents } from "@/lib/contracts/socket-events";

export type LiqdeskSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

let socket: LiqdeskSocket | null = null;

/** The page's one socket.io connection, to the server that served the page. */
export function getSocket(): LiqdeskSocket {
  socket ??= io({ transports: ["websocket"], reconnectionDelayMax: 5000 });
  return socket;
}
