import "server-only";
import type { IncomingHttpHeaders } from "node:http";
import type { Server, Socket } from "socket.io";
import type { Env } from "../env";
import type { PrismaClient } from "../db/prisma-client";
import type { LiqdeskAuth } from "../auth/auth";
import type { Principal } from "../auth/policy";
import { signedInSession } from "../auth/principal";
import { allowedOrigins, hostRefusal, originOf } from "../auth/site-origin";

function headersOf(raw: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
  }
  return headers;
}

interface SocketData {
  principal?: Principal;
  /** The session row the handshake's cookie named (socket-sessions.ts re-checks it). */
  sessionId?: string;
}

/** The principal the handshake established (set by `authorizeSockets`, updated by socket-sessions.ts). */
export function principalOf(socket: Socket): Principal {
  return (socket.data as SocketData).principal ?? { kind: "anonymous" };
}

export function setPrincipalOf(socket: Socket, principal: Principal): void {
  (socket.data as SocketData).principal = principal;
}

/** The id of the session behind the connection (undefined before the handshake was accepted). */
export function sessionIdOf(socket: Socket): string | undefined {
  return (socket.data as SocketData).sessionId;
}

function refusal(message: string, status: number, code: string): Error {
  return Object.assign(new Error(message), { data: { status, code } });
}

/**
 * Why a handshake does not come from a page of this site, or null. A browser always sends
 * `Origin` on a websocket handshake and on a cross-origin request: when present it must be one of
 * the site's origins (site-origin.ts, the allow-list of state-changing HTTP requests; scheme, host
 * and port). A client that sends none is not a browser page (and still needs a session cookie).
 */
export function handshakeOriginRefusal(headers: IncomingHttpHeaders, origins: readonly string[]): string | null {
  if (headers["sec-fetch-site"] === "cross-site") return "Sec-Fetch-Site: cross-site";
  const origin = headers.origin;
  if (origin === undefined) return null;
  const from = originOf(origin);
  return from && origins.includes(from) ? null : `Origin ${origin.slice(0, 200)} is not this site (${origins.join(", ")})`;
}

/**
 * Sockets take a session, like the pages. The handshake is refused with `connect_error`
 * `{ message, data: { status, code } }`: a Host the site does not answer at (400/421, as HTTP),
 * an `Origin` of another site (403 `cross_site`), no valid session (401 `unauthorized`).
 * Otherwise the cookie is resolved to a principal by the same policy as HTTP.
 */
export function authorizeSockets(io: Server, deps: { auth: LiqdeskAuth; prisma: PrismaClient; env: Pick<Env, "LIQDESK_PUBLIC_URL" | "PORT"> }): void {
  const origins = allowedOrigins(deps.env);
  io.use((socket, next) => {
    const raw = socket.handshake.headers;
    const host = hostRefusal(raw.host, deps.env);
    if (host) return next(refusal(host.message, host.status, host.code));
    const crossSite = handshakeOriginRefusal(raw, origins);
    if (crossSite) return next(refusal(`refused: a socket must be opened by a page of this site (${crossSite})`, 403, "cross_site"));
    signedInSession(deps.auth, deps.prisma, headersOf(raw)).then((session) => {
      if (!session) {
        next(refusal("sign in first (POST /api/auth/sign-in/email, or /sign-in in a browser)", 401, "unauthorized"));
        return;
      }
      const data = socket.data as SocketData;
      data.principal = session.principal;
      data.sessionId = session.sessionId;
      next();
    }, (error: unknown) => next(error instanceof Error ? error : new Error(String(error))));
  });
}
