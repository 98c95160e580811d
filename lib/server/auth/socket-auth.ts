import "server-only";
import type { IncomingHttpHeaders } from "node:http";
import type { Server, Socket } from "socket.io";
import type { PrismaClient } from "../db/prisma-client";
import type { LiqdeskAuth } from "./auth";
import { access, decide, defaultRooms, type Principal } from "./policy";
import { sessionPrincipal } from "./principal";

function headersOf(raw: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
  }
  return headers;
}

/** The principal the handshake established (set by `authorizeSockets`). */
export function principalOf(socket: Socket): Principal {
  return (socket.data as { principal?: Principal }).principal ?? { kind: "anonymous" };
}

/** The rooms a connection is put in (policy.ts `defaultRooms`): never chosen by the client. */
export function roomsOf(socket: Socket): string[] {
  return defaultRooms(principalOf(socket));
}

/**
 * Sockets take a session, like the pages: the handshake's cookie is resolved to a principal by
 * the same policy as HTTP; without a valid session the connection is refused with
 * `connect_error` `{ message, data: { status: 401, code: "unauthorized" } }`.
 */
export function authorizeSockets(io: Server, deps: { auth: LiqdeskAuth; prisma: PrismaClient }): void {
  io.use((socket, next) => {
    sessionPrincipal(deps.auth, deps.prisma, headersOf(socket.handshake.headers)).then((principal) => {
      const decision = decide(principal, access.signedIn);
      if (!decision.ok) {
        next(Object.assign(new Error(decision.message), { data: { status: decision.status, code: decision.code } }));
        return;
      }
      (socket.data as { principal?: Principal }).principal = principal;
      next();
    }, (error: unknown) => next(error instanceof Error ? error : new Error(String(error))));
  });
}
