import "server-only";
import type { Server } from "socket.io";
import { accountOfRoom, accountRoom, type AccountWatchAck, type ClientToServerEvents, type ServerToClientEvents } from "@/lib/contracts/socket-events";
import type { AccountView } from "@/lib/contracts/desk";
import { socketRooms } from "../auth/policy";
import { principalOf } from "./handshake";
import { onClientEvent } from "./client-events";
import type { Feed, FeedSocket } from "./feed";
import { Pacer } from "./pacer";

/** Pushes per watched account room, at most this often. */
const PUSH_INTERVAL_MS = 1000;

/** Where account views come from: the engine here, or the leader's (lib/server/cluster/live-source.ts). */
export interface AccountViewSource {
  accountView(accountId: string, now: number): Promise<AccountView | null>;
}

/**
 * Rooms `account:<id>`: the live view of each account someone watches (a trader's own accounts
 * from the start; a page asks with `account:watch`, allowed by the policy), pushed once a second
 * while the room has members, paced like every feed (pacer.ts: one round at a time). Only
 * occupied rooms cost anything: the engine is asked for their views, never for the whole book.
 * Every instance pushes to the rooms its own sockets are in (no `seq`: each push is the whole
 * view, and a page keeps the newest by `serverTime`).
 */
export class AccountFeed implements Feed {
  private readonly pushes = new Pacer(PUSH_INTERVAL_MS, () => this.pushAll());

  constructor(
    private readonly io: Server<ClientToServerEvents, ServerToClientEvents>,
    private readonly views: AccountViewSource,
  ) {}

  start(): void {
    this.pushes.request();
  }

  stop(): void {
    this.pushes.stop();
  }

  connect(socket: FeedSocket): void {
    const mayWatch = (accountId: string) => socketRooms(principalOf(socket)).mayJoin(accountRoom(accountId));
    onClientEvent(socket, "account:watch", ([accountId], ack) => {
      const reply = (result: AccountWatchAck) => ack?.(result);
      if (!mayWatch(accountId)) {
        reply({ ok: false, status: 403, message: `account "${accountId}" is not yours` });
        return;
      }
      const now = Date.now();
      this.views.accountView(accountId, now).then((view) => {
        if (!view) return reply({ ok: false, status: 404, message: `account "${accountId}" not found` });
        // The session may have lost the account while the view was read (socket-sessions.ts).
        if (!socket.connected || !mayWatch(accountId)) return reply({ ok: false, status: 403, message: `account "${accountId}" is not yours` });
        void socket.join(accountRoom(accountId));
        socket.emit("account:view", { accountId, view, serverTime: now });
        reply({ ok: true });
      }, () => reply({ ok: false, status: 404, message: "the live engine did not answer" }));
    });
    onClientEvent(socket, "account:unwatch", ([accountId]) => {
      // Rooms the policy gave (a trader's own accounts) stay: only asked-for ones are left.
      const room = accountRoom(accountId);
      if (socketRooms(principalOf(socket)).given.includes(room)) return;
      void socket.leave(room);
    });
  }

  private async push(accountId: string): Promise<void> {
    const room = accountRoom(accountId);
    if (!this.io.sockets.adapter.rooms.has(room)) return;
    // `serverTime` is when the engine was asked, as in every other answer with a view: a page orders its views by it.
    const now = Date.now();
    const view = await this.views.accountView(accountId, now);
    // Only this instance's sockets: every instance pushes to the rooms its own sockets are in.
    if (view) this.io.local.to(room).volatile.emit("account:view", { accountId, view, serverTime: now });
  }

  /** One round over the occupied account rooms, then the next one, a second after this one began. */
  private async pushAll(): Promise<void> {
    const ids: string[] = [];
    for (const room of this.io.sockets.adapter.rooms.keys()) {
      const id = accountOfRoom(room);
      if (id !== null) ids.push(id);
    }
    await Promise.all(ids.map((id) => this.push(id).catch(() => undefined)));
    this.pushes.request();
  }
}
