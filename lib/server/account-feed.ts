import "server-only";
import type { Server, Socket } from "socket.io";
import type { AccountWatchAck, ClientToServerEvents, ServerToClientEvents } from "@/lib/contracts/socket-events";
import type { AccountView } from "@/lib/contracts/desk";
import { accountRoom, canUseAccount } from "./auth/policy";
import { principalOf, roomsOf } from "./auth/socket-auth";
import { onClientEvent } from "./client-events";

/** Pushes per watched account room, at most this often. */
const PUSH_INTERVAL_MS = 1000;
const ROOM_PREFIX = "account:";

interface ViewSource {
  accountView(accountId: string, now: number): Promise<AccountView | null>;
}

/**
 * Rooms `account:<id>`: the live view of each account someone watches (a trader's own accounts
 * from the start; a page asks with `account:watch`, allowed by the policy), pushed once a second
 * while the room has members. Only occupied rooms
 * cost anything: the engine is asked for their views, never for the whole book.
 */
export class AccountFeed {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly io: Server<ClientToServerEvents, ServerToClientEvents>,
    private readonly engine: ViewSource,
  ) {
    io.on("connection", (socket) => this.attach(socket));
  }

  start(): void {
    this.timer = setInterval(() => void this.pushAll(), PUSH_INTERVAL_MS);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private attach(socket: Socket<ClientToServerEvents, ServerToClientEvents>): void {
    onClientEvent(socket, "session:rooms", (_, ack) => ack?.([...socket.rooms].filter((r) => r !== socket.id)));
    onClientEvent(socket, "account:watch", ([accountId], ack) => {
      const reply = (result: AccountWatchAck) => ack?.(result);
      if (!canUseAccount(principalOf(socket), accountId)) {
        reply({ ok: false, status: 403, message: `account "${accountId}" is not yours` });
        return;
      }
      const now = Date.now();
      this.engine.accountView(accountId, now).then((view) => {
        if (!view) return reply({ ok: false, status: 404, message: `account "${accountId}" not found` });
        // The session may have lost the account while the view was read (socket-sessions.ts).
        if (!socket.connected || !canUseAccount(principalOf(socket), accountId)) return reply({ ok: false, status: 403, message: `account "${accountId}" is not yours` });
        void socket.join(accountRoom(accountId));
        socket.emit("account:view", { accountId, view, serverTime: now });
        reply({ ok: true });
      }, () => reply({ ok: false, status: 404, message: "the live engine did not answer" }));
    });
    onClientEvent(socket, "account:unwatch", ([accountId]) => {
      // Rooms the policy gave (a trader's own accounts) stay: only asked-for ones are left.
      if (roomsOf(socket).includes(accountRoom(accountId))) return;
      void socket.leave(accountRoom(accountId));
    });
  }

  private async push(accountId: string): Promise<void> {
    const room = accountRoom(accountId);
    if (!this.io.sockets.adapter.rooms.has(room)) return;
    // `serverTime` is when the engine was asked, as in every other answer with a view: a page orders its views by it.
    const now = Date.now();
    const view = await this.engine.accountView(accountId, now);
    // Only this instance's sockets: every instance pushes to the rooms its own sockets are in.
    if (view) this.io.local.to(room).volatile.emit("account:view", { accountId, view, serverTime: now });
  }

  private async pushAll(): Promise<void> {
    const ids = [...this.io.sockets.adapter.rooms.keys()].filter((r) => r.startsWith(ROOM_PREFIX)).map((r) => r.slice(ROOM_PREFIX.length));
    await Promise.all(ids.map((id) => this.push(id).catch(() => undefined)));
  }
}
