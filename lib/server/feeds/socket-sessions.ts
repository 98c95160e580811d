import "server-only";
import type { Server, Socket } from "socket.io";
import type { SessionEndedNotice } from "@/lib/contracts/socket-events";
import type { PrismaClient } from "../db/prisma-client";
import type { Logger } from "../logger";
import { processSlot } from "../process-slot";
import { socketRooms, type UserPrincipal } from "../auth/policy";
import { userPrincipal } from "../auth/principal";
import { principalOf, sessionIdOf, setPrincipalOf } from "./handshake";

/** How often every socket's session is checked again: a change reaches the socket within this (plus one query). */
export const SOCKET_SESSION_CHECK_MS = 500;

const slot = processSlot<SocketSessions>("liqdesk.socket-sessions");

/** This process's socket-session checker, for the sign-out route to run at once (undefined in `next build`). */
export function findSocketSessions(): SocketSessions | undefined {
  return slot.find();
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Ties each socket to the session its handshake was accepted with. Every SOCKET_SESSION_CHECK_MS
 * (and at once after a sign-out through this instance) the sessions of this instance's sockets are
 * read again, in one query:
 * - the session is gone (signed out, revoked, user deleted) or expired, or the user's role
 *   changed: `session:ended` is sent and the socket disconnected (a page whose role changed
 *   reconnects as the new role; a signed-out one is refused);
 * - a trader's bound accounts changed: the socket leaves the rooms of accounts no longer theirs
 *   and joins the new ones.
 * Each instance checks its own sockets against the shared database, so a sign-out through any
 * instance reaches every instance's sockets within the interval (docs/SCALING.md).
 */
export class SocketSessions {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;

  constructor(private readonly io: Server, private readonly prisma: PrismaClient, private readonly log: Logger) {}

  start(): void {
    slot.set(this);
    this.timer = setInterval(() => void this.check(), SOCKET_SESSION_CHECK_MS);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (slot.find() === this) slot.set(undefined);
  }

  /** Checks every socket's session now; when a check is already running, one more follows it. */
  check(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.run()
      .catch((error: unknown) => this.log.warn({ err: error }, "socket session check failed (tried again shortly)"))
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          void this.check();
        }
      });
    return this.running;
  }

  private async run(): Promise<void> {
    const sockets = [...this.io.of("/").sockets.values()];
    const ids = [...new Set(sockets.map(sessionIdOf).filter((id): id is string => id !== undefined))];
    if (ids.length === 0) return;
    const rows = await this.prisma.session.findMany({
      where: { id: { in: ids } },
      select: {
        id: true, expiresAt: true,
        user: { select: { id: true, email: true, name: true, role: true, accounts: { select: { accountId: true }, orderBy: { accountId: "asc" } } } },
      },
    });
    const byId = new Map(rows.map((r) => [r.id, r]));
    const now = Date.now();
    for (const socket of sockets) {
      const id = sessionIdOf(socket);
      const before = principalOf(socket);
      if (!socket.connected || id === undefined || before.kind !== "user") continue;
      const row = byId.get(id);
      if (!row) this.end(socket, "signed_out");
      else if (row.expiresAt.getTime() <= now) this.end(socket, "expired");
      else {
        const after = userPrincipal(row.user, row.user.accounts.map((a) => a.accountId));
        if (after.role !== before.role) this.end(socket, "role_changed");
        else if (!sameList(after.accountIds, before.accountIds)) this.reroom(socket, after);
      }
    }
  }

  private end(socket: Socket, reason: SessionEndedNotice["reason"]): void {
    this.log.info({ socket: socket.id, reason }, "socket session ended: disconnected");
    socket.emit("session:ended", { reason });
    socket.disconnect(true);
  }

  /** The trader's accounts changed: leave the rooms the policy no longer allows (accounts no longer theirs), join the new ones. */
  private reroom(socket: Socket, principal: UserPrincipal): void {
    setPrincipalOf(socket, principal);
    const rooms = socketRooms(principal);
    for (const room of socket.rooms) {
      if (room !== socket.id && !rooms.mayJoin(room)) void socket.leave(room);
    }
    void socket.join([...rooms.given]);
    this.log.info({ socket: socket.id, accounts: principal.accountIds }, "socket session's accounts changed: rooms updated");
  }
}
