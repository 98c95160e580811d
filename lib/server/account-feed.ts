import "server-only";
import type { Server, Socket } from "socket.io";
import type { AccountWatchAck, ClientToServerEvents, ServerToClientEvents } from "@/lib/contracts/socket-events";
import type { AccountView } from "@/lib/contracts/desk";
import { accountRoom, canUseAccount } from "./auth/policy";
import { principalOf, roomsOf } from "./auth/socket-auth";

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
    socket.on("session:rooms", (ack) => typeof ack === "function" && ack([...socket.rooms].filter((r) => r !== socket.id)));
    socket.on("account:watch", (accountId, ack) => {
      const reply = (result: AccountWatchAck) => typeof ack === "function" && ack(result);
      if (typeof accountId !== "string" || !canUseAccount(principalOf(socket), accountId)) {
        reply({ ok: false, status: 403, message: `account "${String(accountId)}" is not yours` });
        return;
      }
      const now = Date.now();
      this.engine.accountView(accountId, now).then((view) => {
        if (!view) return reply({ ok: false, status: 404, message: `account "${accountId}" not found` });
        void socket.join(accountRoom(accountId));
        socket.emit("account:view", { accountId, view, serverTime: now });
        reply({ ok: true });
      }, () => reply({ ok: false, status: 404, message: "the live engine did not answer" }));
    });
    socket.on("account:unwatch", (accountId) => {
      // Rooms the policy gave (a trader's own accounts) stay: only asked-for ones are left.
      if (typeof accountId !== "string" || roomsOf(socket).includes(accountRoom(accountId))) return;
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
