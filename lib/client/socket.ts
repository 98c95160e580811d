"use client";
import { io, type Socket } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents } from "@/lib/contracts/socket-events";

export type LiqdeskSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

let socket: LiqdeskSocket | null = null;

/** After the server refuses a connection, try again this long after. */
const REFUSED_RETRY_MS = 2000;

/**
 * The page's one socket.io connection, to the server that served the page. socket.io retries a
 * connection that failed (the server is down) by itself, but not one the server refused (its
 * handshake check failed, e.g. the session could not be read while it restarted): the page would
 * stay disconnected until reloaded. A refused connection is tried again after REFUSED_RETRY_MS.
 * When the server ends the socket because its session ended, the page follows (`session:ended`).
 */
export function getSocket(): LiqdeskSocket {
  if (socket) return socket;
  const s: LiqdeskSocket = io({ transports: ["websocket"], reconnectionDelayMax: 5000 });
  s.on("connect_error", () => {
    // `active`: socket.io is still trying (a failed connection); otherwise the server refused it.
    if (s.active) return;
    setTimeout(() => {
      if (!s.active) s.connect();
    }, REFUSED_RETRY_MS);
  });
  // The session behind the socket ended (signed out here or in another tab, expired, revoked) or
  // its role changed: the page is loaded again, and its access check sends it to the sign-in
  // page or to the new role's home.
  s.on("session:ended", () => window.location.reload());
  socket = s;
  return s;
}
