import "server-only";
import type { Server } from "socket.io";
import { accountOfRoom, accountRoom, type AccountWatchAck, type ClientToServerEvents, type ServerToClientEvents } from "@/lib/contracts/socket-events";
import type { AccountView } from "@/lib/contracts/book-views";
import { socketRooms } from "../auth/policy";
import { principalOf } from "./handshake";
import { onClientEvent } from "./client-events";
import type { Connection, Feed, FeedSocket } from "./feed";
import { Pacer, ROOM_PUSH_INTERVAL_MS } from "./pacer";
import type { ChangeSet } from "@/lib/engine";

/** Every occupied room's view is pushed at least this often, changed or not, so that its ages stay true. */
const REFRESH_MS = 5000;
/** The same without change sets to follow (a follower instance: its views come from the leader): every room, once a second. */
const UNFOLLOWED_REFRESH_MS = 1000;

/** Listens to the engine's change sets (LiveEngine `onChanges`); returns the unsubscribe. */
export type ChangeSource = (listener: (changes: ChangeSet) => void) => () => void;

/** Where account views come from: the engine here, or the leader's (lib/server/cluster/live-source.ts). */
export interface AccountViewSource {
  accountView(accountId: string, now: number): Promise<AccountView | null>;
}

/**
 * Rooms `account:<id>`: the live view of each account someone watches (a trader's own accounts
 * from the start; a page asks with `account:watch`, allowed by the policy). A room's view is
 * pushed at the next flush (at most one per ROOM_PUSH_INTERVAL_MS, pacer.ts) after the engine's change set
 * names its account (a change set too large to name its accounts counts for every room that holds
 * one of the markets it moved or that it names otherwise, or for every room when it cannot say), after
 * a socket joins it, and every REFRESH_MS regardless (every second while no change sets are
 * followed: `follow`). Only occupied rooms cost anything: the engine is asked once per flush for
 * each room's view, never for the whole book, and each view is serialised once for its room.
 * Every instance pushes to the rooms its own sockets are in (no `seq`: each push is the whole
 * view, and a page keeps the newest by `serverTime`).
 */
export class AccountFeed implements Feed {
  private readonly pushes = new Pacer(ROOM_PUSH_INTERVAL_MS, () => this.flush());
  /** Accounts to push at the next flush; `all`: every occupied room. */
  private due = new Set<string>();
  private allDue = false;
  /** The markets of each watched account's last pushed view: a scoped change set reaches only their holders. */
  private readonly held = new Map<string, readonly string[]>();
  private refreshMs = UNFOLLOWED_REFRESH_MS;
  private refreshTimer: NodeJS.Timeout | null = null;
  private started = false;
  /** The adapter whose joins this feed hears (socket.io replaces it when the Redis fan-out is set up). */
  private heard: ReturnType<Server["of"]>["adapter"] | null = null;
  private readonly onJoin = (room: string) => {
    const id = accountOfRoom(room);
    if (id !== null) this.mark([id]);
  };

  constructor(
    private readonly io: Server<ClientToServerEvents, ServerToClientEvents>,
    private readonly views: AccountViewSource,
  ) {}

  start(): void {
    this.started = true;
    this.hearJoins();
    this.restartRefresh();
    this.mark(null);
  }

  stop(): void {
    this.started = false;
    this.held.clear();
    this.heard?.off("join-room", this.onJoin);
    this.heard = null;
    if (this.refreshTimer) clearInterval(this.refreshTimer);
    this.refreshTimer = null;
    this.pushes.stop();
  }

  /**
   * Pushes a room's view when the engine's change sets name its account, with the slow refresh
   * (REFRESH_MS) in between; returns the function that stops following (back to every second).
   */
  follow(changes: ChangeSource): () => void {
    const unsubscribe = changes((c) => {
      if (c.accounts > 0) this.mark(c.ids ? c.ids.accounts : c.otherAccounts ? this.inScope(c.markets, c.otherAccounts) : null);
    });
    this.setRefresh(REFRESH_MS);
    return () => {
      unsubscribe();
      this.setRefresh(UNFOLLOWED_REFRESH_MS);
    };
  }

  /** A socket that joins an account room (re-roomed: socket-sessions.ts) gets its view at the next flush. */
  private hearJoins(): void {
    const adapter = this.io.of("/").adapter;
    if (adapter === this.heard) return;
    this.heard?.off("join-room", this.onJoin);
    adapter.on("join-room", this.onJoin);
    this.heard = adapter;
  }

  private setRefresh(ms: number): void {
    this.refreshMs = ms;
    if (this.started) this.restartRefresh();
  }

  private restartRefresh(): void {
    if (this.refreshTimer) clearInterval(this.refreshTimer);
    this.refreshTimer = setInterval(() => {
      this.hearJoins();
      this.mark(null);
    }, this.refreshMs);
  }

  /**
   * The watched accounts a change set too large to name them can have changed: those it names
   * otherwise, and those whose last view holds one of its markets. A room not pushed yet is due
   * already (its join marked it); an entry whose room emptied is dropped here.
   */
  private inScope(marketIds: readonly string[], otherAccounts: readonly string[]): string[] {
    const markets = new Set(marketIds);
    const out = [...otherAccounts];
    for (const [id, held] of this.held) {
      if (!this.io.sockets.adapter.rooms.has(accountRoom(id))) this.held.delete(id);
      else if (held.some((m) => markets.has(m))) out.push(id);
    }
    return out;
  }

  /** The view about to go to `accountId`'s room: its markets are what a scoped change set is matched with. */
  private remember(accountId: string, view: AccountView): void {
    this.held.set(accountId, view.positions.map((p) => p.marketId));
  }

  /** These accounts' views (null: every occupied room's) go out at the next flush. */
  private mark(accountIds: readonly string[] | null): void {
    if (!this.started) return;
    if (accountIds === null) this.allDue = true;
    else for (const id of accountIds) if (this.io.sockets.adapter.rooms.has(accountRoom(id))) this.due.add(id);
    if (this.allDue || this.due.size > 0) this.pushes.request();
  }

  connect(socket: FeedSocket, { rooms }: Connection): void {
    // The rooms the policy gave it were joined before this (transport.ts): their views go out at the next flush.
    this.hearJoins();
    this.mark(rooms.map(accountOfRoom).filter((id) => id !== null));
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
        this.remember(accountId, view);
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
    if (view) this.remember(accountId, view);
    // Only this instance's sockets: every instance pushes to the rooms its own sockets are in.
    if (view) this.io.local.to(room).volatile.emit("account:view", { accountId, view, serverTime: now });
  }

  /** One flush: the view of every due account with an occupied room, read once, sent once to its room. */
  private async flush(): Promise<void> {
    let ids: Iterable<string> = this.due;
    if (this.allDue) {
      const all: string[] = [];
      for (const room of this.io.sockets.adapter.rooms.keys()) {
        const id = accountOfRoom(room);
        if (id !== null) all.push(id);
      }
      ids = all;
    }
    this.due = new Set();
    this.allDue = false;
    await Promise.all([...ids].map((id) => this.push(id).catch(() => undefined)));
  }
}
