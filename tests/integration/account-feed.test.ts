import { createServer, type Server as HttpServer } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Server } from "socket.io";
import { io as connectClient, type Socket } from "socket.io-client";
import { accountRoom, type AccountViewUpdate, type ClientToServerEvents, type ServerToClientEvents } from "@/lib/contracts/socket-events";
import { CHANGE_SET_MAX_IDS } from "@/lib/engine";
import { AccountFeed } from "@/lib/server/feeds/account-feed";
import type { Runtime } from "@/lib/server/runtime";
import { freePort } from "../support/free-port";
import { createTestDatabase, type TestDatabase } from "../support/test-database";
import { engineOf, engineSettled, setMark, startTestRuntime } from "../support/test-runtime";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The account feed on a live runtime and a real socket.io server (the handshake's policy left
 * out: each client is put in the account room it names, as the policy gives a trader's rooms):
 * a view goes out at the flush after the engine's change set names its account, not on a timer.
 */
describe("the account feed pushes a view when its account changes", () => {
  let db: TestDatabase;
  let runtime: Runtime;
  let http: HttpServer;
  let io: Server<ClientToServerEvents, ServerToClientEvents>;
  let feed: AccountFeed;
  let unfollow: () => void;
  let url: string;
  const clients: Socket[] = [];

  /** A client in `account:<id>`, and the views it receives with their arrival times. */
  async function watcher(accountId: string): Promise<{ views: { at: number; update: AccountViewUpdate }[]; socket: Socket }> {
    const socket: Socket = connectClient(url, { transports: ["websocket"], forceNew: true, reconnection: false, query: { account: accountId } });
    clients.push(socket);
    const views: { at: number; update: AccountViewUpdate }[] = [];
    socket.on("account:view", (update: AccountViewUpdate) => views.push({ at: Date.now(), update }));
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", () => resolve());
      socket.once("connect_error", reject);
    });
    return { views, socket };
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    runtime = await startTestRuntime(db, { LIQDESK_STALE_AFTER_MS: "600000" }, "100000");
    await setMark(runtime, "BTC-PERP", 60000);
    await setMark(runtime, "ETH-PERP", 3000);
    await runtime.services.ingest.collateral({ entries: [
      { accountId: "af-btc", amount: "10000", kind: "deposit", idempotencyKey: "af-dep-btc" },
      { accountId: "af-eth", amount: "10000", kind: "deposit", idempotencyKey: "af-dep-eth" },
    ] });
    await runtime.services.ingest.positions({ source: "venue", updates: [
      { accountId: "af-btc", marketId: "BTC-PERP", qty: 1, entryPrice: 60000, seq: 1 },
      { accountId: "af-eth", marketId: "ETH-PERP", qty: 10, entryPrice: 3000, seq: 1 },
    ] });
    await engineSettled(runtime);
    const port = await freePort();
    http = createServer();
    io = new Server(http, { serveClient: false, transports: ["websocket"] });
    feed = new AccountFeed(io, { accountView: (id, now) => runtime.services.accounts.view(id, now) });
    io.on("connection", (socket) => {
      const room = accountRoom(String(socket.handshake.query.account));
      void socket.join(room);
      feed.connect(socket, { rooms: [room], answer: (send) => send() });
    });
    feed.start();
    unfollow = feed.follow((listener) => engineOf(runtime).onChanges(listener));
    await new Promise<void>((resolve) => http.listen(port, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${port}`;
  });
  afterAll(async () => {
    for (const c of clients) c.disconnect();
    unfollow?.();
    feed?.stop();
    await new Promise<void>((resolve) => (io ? io.close(() => resolve()) : resolve()));
    await runtime?.stop();
    await db?.drop();
  });

  it("a socket in an account room gets the view at once, then only when the account changes (a tick on its market), within a flush", async () => {
    const btc = await watcher("af-btc");
    const eth = await watcher("af-eth");
    // Joining: the view at the next flush, not at the next refresh.
    await expect.poll(() => btc.views.length, { timeout: 500, interval: 20 }).toBe(1);
    await expect.poll(() => eth.views.length, { timeout: 500, interval: 20 }).toBe(1);
    await sleep(300);
    const [btcBefore, ethBefore] = [btc.views.length, eth.views.length];
    for (const price of [59000, 58000, 59500]) {
      const sent = Date.now();
      await setMark(runtime, "BTC-PERP", price);
      await expect.poll(() => btc.views.at(-1)!.update.view.positions[0]?.markPrice, { timeout: 1000, interval: 5 }).toBe(price);
      // Pushed at the flush after the change (100 ms pacing), not on the old one-second timer.
      expect(btc.views.at(-1)!.at - sent).toBeLessThan(300);
      await sleep(150);
    }
    // The ETH account was not named by any change set: nothing pushed to its room meanwhile.
    expect(btc.views.length - btcBefore).toBeGreaterThanOrEqual(3);
    expect(eth.views.length).toBe(ethBefore);
  });

  it("a tick on a market too widely held to name its holders reaches only the rooms of accounts holding it", async () => {
    // 300 accounts hold SOL-PERP: a tick on it touches more accounts than a change set names.
    const many = Array.from({ length: CHANGE_SET_MAX_IDS + 44 }, (_, i) => `af-sol-${i}`);
    await runtime.services.ingest.collateral({ entries: many.map((id) => ({ accountId: id, amount: "1000", kind: "deposit" as const, idempotencyKey: `af-dep-${id}` })) });
    await runtime.services.ingest.positions({ source: "venue", updates: many.map((id) => ({ accountId: id, marketId: "SOL-PERP", qty: 1, entryPrice: 150, seq: 1 })) });
    await setMark(runtime, "SOL-PERP", 150);
    await engineSettled(runtime);
    const sol = await watcher(many[0]!);
    const eth = await watcher("af-eth");
    await expect.poll(() => sol.views.length, { timeout: 500, interval: 20 }).toBe(1);
    await expect.poll(() => eth.views.length, { timeout: 500, interval: 20 }).toBe(1);
    await sleep(300);
    const seen = new Set<number | null>();
    engineOf(runtime).onChanges((c) => { if (c.markets.includes("SOL-PERP")) seen.add(c.ids === null ? c.accounts : null); });
    for (const price of [151, 152, 153]) {
      await setMark(runtime, "SOL-PERP", price);
      await expect.poll(() => sol.views.at(-1)!.update.view.positions[0]?.markPrice, { timeout: 1000, interval: 5 }).toBe(price);
      await sleep(150);
    }
    await sleep(300);
    // The ticks' change sets did not name their accounts, and the ETH account's room got nothing.
    expect([...seen].every((n) => n !== null && n > CHANGE_SET_MAX_IDS)).toBe(true);
    expect(seen.size).toBeGreaterThan(0);
    expect(eth.views.length).toBe(1);
  });

  it("pushes to a room at most one per 100 ms however fast its account changes, each one read once", async () => {
    const btc = await watcher("af-btc");
    await expect.poll(() => btc.views.length, { timeout: 500, interval: 20 }).toBeGreaterThan(0);
    const from = btc.views.length;
    const start = Date.now();
    for (let i = 0; i < 20; i++) {
      await setMark(runtime, "BTC-PERP", 60000 + i * 10);
      await sleep(20);
    }
    await sleep(200);
    const pushes = btc.views.slice(from);
    const seconds = (Date.now() - start) / 1000;
    expect(pushes.length).toBeGreaterThan(1);
    expect(pushes.length).toBeLessThanOrEqual(Math.ceil(seconds * 10) + 1);
    const times = pushes.map((p) => p.update.serverTime);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(99);
    expect(pushes.at(-1)!.update.view.positions[0]?.markPrice).toBe(60190);
  });

  it("with nothing changing, a watched room still gets its view every 5 s (its ages stay true), not every second", async () => {
    const eth = await watcher("af-eth");
    await expect.poll(() => eth.views.length, { timeout: 500, interval: 20 }).toBeGreaterThan(0);
    const from = eth.views.length;
    await expect.poll(() => eth.views.length, { timeout: 12_000, interval: 50 }).toBeGreaterThanOrEqual(from + 2);
    const [a, b] = eth.views.slice(from, from + 2).map((v) => v.update.serverTime);
    expect(b! - a!).toBeGreaterThanOrEqual(4900);
    expect(b! - a!).toBeLessThan(5400);
  }, 20_000);
});
