/**
 * Desk clients (docs/PERFORMANCE.md, "Desk push"): what 200 connected desk clients cost the
 * server, and that a client that stops reading skips frames instead of growing the server.
 *
 * One server as `npm start` runs it, simulator on with the demo's default population
 * (LIQDESK_SIM_ACCOUNTS unset: 2,000 accounts) and LIQDESK_SIM_TICK_MS=50, so that both streams
 * push at their cap (10/s each). After the demo accounts are in and a 10 s warm-up:
 *
 *   0 clients     60 s: CPU of the server process (utime + stime of every thread, engine worker
 *                 included, from /proc/<pid>/stat) and of its PostgreSQL, RSS at start and end;
 *   200 clients   200 socket.io clients over the websocket transport (as the desk page connects),
 *                 each counting `markets:delta` and `desk:delta` and the gaps in their seq. They
 *                 speak the protocol themselves (LightDeskClient below: handshake, CONNECT, pongs)
 *                 and read the event name and seq without decoding the payload, so that the
 *                 clients do not take the cores the server is measured on. Plus eleven
 *                 clients that stop reading: a socket.io client (socket.io-client) whose TCP socket
 *                 is paused right after its snapshots, and ten raw websockets that join (socket.io
 *                 CONNECT) and never read a byte. 60 s: the same CPU figures, RSS every second.
 *
 * If the server queued frames for the stalled clients, its RSS would grow by about eleven times
 * what a reading client receives (printed); volatile frames are dropped instead. At the end the
 * stalled sockets are read: what the kernel's buffers held for them, and whether the server had
 * closed them (socket.io's heartbeat: a ping every 25 s, 20 s to answer, then `ws` waits up to
 * 30 s for the closing handshake).
 */
import { connect, type Socket as NetSocket } from "node:net";
import { randomBytes } from "node:crypto";
import { io, type Socket } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents } from "@/lib/contracts/socket-events";
import type { AppServer } from "../tests/support/app-server";
import { signInDesk } from "../tests/support/sign-in";
import {
  CpuWindow, cpuLine, deskSnapshot, int, machineLine, commitLine, MB, procSample, sleep, summarize, waitFor, waitForSimulator,
  withServer, type CpuUse,
} from "./lib/live-server";
import type { SummaryRow } from "./lib/bench-summary";
import { quickOr } from "./lib/quick-mode";

/** Quick mode (LIQDESK_BENCH_QUICK=1): 20 clients, windows of 10 s, warm-up 5 s. */
const CLIENTS = quickOr(200, 20);
const WINDOW_MS = quickOr(60_000, 10_000);
const WARMUP_MS = quickOr(10_000, 5_000);
const TICK_MS = 50;
/** Raw websockets that never read, besides the paused socket.io client. */
const STALLED_RAW = 10;

type DeskSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

interface Phase {
  cpu: CpuUse;
  rssStart: number;
  rssEnd: number;
  rssMax: number;
}

export default async function main(): Promise<SummaryRow[]> {
  console.log(machineLine());
  console.log(commitLine());
  return await withServer({ env: { LIQDESK_SIMULATOR: "on", LIQDESK_SIM_TICK_MS: String(TICK_MS) } }, async (server) => {
    await waitForSimulator(server, 300_000);
    const book = (await deskSnapshot(server)).summary.book;
    console.log(`server: simulator on, LIQDESK_SIM_TICK_MS=${TICK_MS}, ${int(book.accounts)} demo accounts, ${int(book.positions)} positions; warm-up ${WARMUP_MS / 1000} s, windows of ${WINDOW_MS / 1000} s`);
    await sleep(WARMUP_MS);

    const idle = await phase(server, WINDOW_MS);
    console.log("");
    console.log(`-- 0 clients: ${cpuLine(idle.cpu)}`);
    console.log(`   server RSS ${MB(idle.rssStart)} at start, ${MB(idle.rssEnd)} at end, max ${MB(idle.rssMax)}`);

    // 200 reading clients.
    const clients: LightDeskClient[] = [];
    const { cookie } = await signInDesk(server);
    for (let i = 0; i < CLIENTS; i++) clients.push(new LightDeskClient(server.port, cookie));
    await waitFor(`${CLIENTS} clients with both snapshots`, async () => clients.every((c) => c.lastMarkets >= 0 && c.lastDesk >= 0), 120_000, 200);

    // Clients that stop reading.
    const paused = await pausedSocketIoClient(server, cookie);
    const stalled = await Promise.all(Array.from({ length: STALLED_RAW }, () => rawWebsocketThatNeverReads(server, cookie)));
    for (const c of clients) c.resetCounts();

    const loaded = await phase(server, WINDOW_MS);
    const seconds = loaded.cpu.seconds;
    const marketsRate = summarize(clients.map((c) => c.markets / seconds));
    const deskRate = summarize(clients.map((c) => c.desk / seconds));
    const gapsM = clients.reduce((a, c) => a + c.marketsGaps, 0);
    const gapsD = clients.reduce((a, c) => a + c.deskGaps, 0);
    const dropped = clients.filter((c) => c.closed !== null).map((c) => c.closed);
    const bytes = summarize(clients.map((c) => c.bytes));
    const totalBytes = clients.reduce((a, c) => a + c.bytes, 0);
    for (const c of clients) c.close();

    // Read the stalled clients at last: what was waiting for them, and had the server dropped them?
    const pausedFate = await paused.resume();
    const stalledFate = await stalledFates(stalled, 35_000);

    const readers = `${CLIENTS} clients + ${1 + STALLED_RAW} not reading`;
    console.log("");
    console.log(`-- ${readers}: ${cpuLine(loaded.cpu)}`);
    console.log(`   server RSS ${MB(loaded.rssStart)} at start, ${MB(loaded.rssEnd)} at end, max ${MB(loaded.rssMax)}`);
    console.log(`   per reading client: markets:delta ${marketsRate.p50.toFixed(2)}/s (min ${marketsRate.min.toFixed(2)}, max ${marketsRate.max.toFixed(2)}), ` +
      `desk:delta ${deskRate.p50.toFixed(2)}/s (min ${deskRate.min.toFixed(2)}, max ${deskRate.max.toFixed(2)}); ` +
      `seq gaps (skipped frames) over all ${CLIENTS}: markets ${gapsM}, desk ${gapsD}; ` +
      `disconnected ${dropped.length}${dropped.length ? ` (${[...new Set(dropped)].join(", ")})` : ""}`);
    console.log(`   a reading client received ${MB(bytes.p50)} (median, ${(bytes.p50 / seconds / 1024).toFixed(0)} KiB/s); all ${CLIENTS} together ${MB(totalBytes / seconds)}/s`);
    console.log(`   socket.io client paused after its snapshots: ${pausedFate}`);
    console.log(`   ${STALLED_RAW} raw websockets that joined and never read: ${stalledFate}`);

    console.log("");
    console.log(`| server, ${WINDOW_MS / 1000} s | 0 clients | ${readers} | ratio |`);
    console.log("|---|---:|---:|---:|");
    console.log(`| server process CPU, % of one core | ${idle.cpu.serverPct.toFixed(0)}% | ${loaded.cpu.serverPct.toFixed(0)}% | ${(loaded.cpu.serverPct / idle.cpu.serverPct).toFixed(2)}x |`);
    console.log(`| its PostgreSQL | ${idle.cpu.postgresPct.toFixed(0)}% | ${loaded.cpu.postgresPct.toFixed(0)}% | |`);
    console.log(`| this benchmark (the clients) | ${idle.cpu.benchPct.toFixed(0)}% | ${loaded.cpu.benchPct.toFixed(0)}% | |`);
    console.log(`| rest of the machine | ${idle.cpu.othersPct.toFixed(0)}% | ${loaded.cpu.othersPct.toFixed(0)}% | |`);
    console.log(`| server RSS start → end (max) | ${MB(idle.rssStart)} → ${MB(idle.rssEnd)} (${MB(idle.rssMax)}) | ${MB(loaded.rssStart)} → ${MB(loaded.rssEnd)} (${MB(loaded.rssMax)}) | |`);
    console.log("");
    console.log(`goal: server under one core with ${CLIENTS} clients: ${loaded.cpu.serverPct.toFixed(0)}% — ${loaded.cpu.serverPct < 100 ? "met" : "NOT met"}`);
    const growth = loaded.rssEnd - loaded.rssStart;
    const ifQueued = bytes.p50 * (1 + STALLED_RAW);
    console.log(`slow clients: server RSS ${growth >= 0 ? "+" : ""}${MB(growth)} over the window (max ${MB(loaded.rssMax - loaded.rssStart)} above the start); ` +
      `queuing every frame for the ${1 + STALLED_RAW} stalled clients would hold ≈ ${MB(ifQueued)} — ` +
      `${loaded.rssMax - loaded.rssStart < ifQueued / 4 ? "frames skipped, not buffered" : "CHECK: the server may be buffering for them"}`);

    const rows: SummaryRow[] = [
      {
        benchmark: "desk-clients", measure: `server process CPU with ${readers}`, value: loaded.cpu.serverPct, unit: "% of one core",
        baseline: { measure: "the same server with 0 clients", value: idle.cpu.serverPct }, ratio: loaded.cpu.serverPct / idle.cpu.serverPct,
        goal: "< 100% (one core)", met: loaded.cpu.serverPct < 100,
      },
      {
        benchmark: "desk-clients", measure: `server RSS peak above the window's start, ${1 + STALLED_RAW} clients not reading`, value: (loaded.rssMax - loaded.rssStart) / 2 ** 20, unit: "MB",
        baseline: { measure: "what queuing every frame for them would hold", value: ifQueued / 2 ** 20 }, ratio: (loaded.rssMax - loaded.rssStart) / ifQueued,
        goal: "< ¼ of the baseline (frames skipped, not buffered)", met: loaded.rssMax - loaded.rssStart < ifQueued / 4,
      },
      { benchmark: "desk-clients", measure: "received per reading client", value: bytes.p50 / seconds / 1024, unit: "KiB/s" },
    ];
    return rows;
  });
}

async function phase(server: AppServer, windowMs: number): Promise<Phase> {
  const rssStart = procSample(server.pid)?.rssBytes ?? NaN;
  let rssMax = rssStart;
  const cpu = new CpuWindow(server.pid);
  const end = performance.now() + windowMs;
  while (performance.now() < end) {
    await sleep(Math.min(1000, end - performance.now()));
    rssMax = Math.max(rssMax, procSample(server.pid)?.rssBytes ?? 0);
  }
  const use = cpu.end();
  const rssEnd = procSample(server.pid)?.rssBytes ?? NaN;
  return { cpu: use, rssStart, rssEnd, rssMax: Math.max(rssMax, rssEnd) };
}

/** A socket.io client that receives its snapshots, then stops reading: its TCP socket is paused. */
async function pausedSocketIoClient(server: AppServer, cookie: string): Promise<{ resume(): Promise<string> }> {
  const s: DeskSocket = io(server.url, { transports: ["websocket"], forceNew: true, reconnection: false, extraHeaders: { cookie } });
  let snapshots = 0;
  let deltasAfterResume = 0;
  let disconnectReason: string | null = null;
  s.on("markets:snapshot", () => { snapshots += 1; });
  s.on("desk:snapshot", () => { snapshots += 1; });
  await waitFor("the paused client's snapshots", async () => snapshots >= 2, 30_000, 50);
  s.on("markets:delta", () => { deltasAfterResume += 1; });
  s.on("desk:delta", () => { deltasAfterResume += 1; });
  s.on("disconnect", (reason) => { disconnectReason = reason; });
  // engine.io-client's websocket transport holds a `ws` WebSocket; its `_socket` is the net.Socket.
  const transport = s.io.engine.transport as unknown as { ws?: { _socket?: NetSocket } };
  const tcp = transport.ws?._socket;
  if (!tcp) throw new Error("could not reach the paused client's TCP socket");
  tcp.pause();
  const pausedAt = performance.now();
  return {
    async resume() {
      const heldS = (performance.now() - pausedAt) / 1000;
      tcp.resume();
      await sleep(3000);
      s.close();
      // socket.io-client's reasons: "ping timeout" is the client's own verdict (no ping from the
      // server for pingInterval + pingTimeout, as it could not read one); "transport close" is the server closing.
      return `paused for ${heldS.toFixed(0)} s; on resuming: ${disconnectReason ? `disconnected ("${disconnectReason}")` : "still connected"}, ` +
        `${deltasAfterResume} deltas read from the buffers in the next 3 s`;
    },
  };
}

interface StalledSocket {
  sock: NetSocket;
  openedAt: number;
}

/**
 * A websocket that completes the handshake, joins the default namespace (socket.io CONNECT "40",
 * a masked text frame) and never reads again: the server's writes fill the kernel's socket
 * buffers, then its transport stays unwritable and volatile frames are dropped.
 */
async function rawWebsocketThatNeverReads(server: AppServer, cookie: string): Promise<StalledSocket> {
  const sock = connect(server.port, "127.0.0.1");
  sock.on("error", () => {}); // a reset by the server is an outcome, reported by stalledFates()
  await new Promise<void>((resolve, reject) => { sock.once("connect", () => resolve()); sock.once("error", reject); });
  const openedAt = performance.now();
  sock.write(
    `GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nCookie: ${cookie}\r\n` +
    `Sec-WebSocket-Key: ${randomBytes(16).toString("base64")}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
  );
  // Read only the 101 answer (and whatever came with it), then stop.
  let head = "";
  await new Promise<void>((resolve) => {
    const onData = (d: Buffer) => {
      head += d.toString("latin1");
      if (head.includes("\r\n\r\n")) { sock.off("data", onData); sock.pause(); resolve(); }
    };
    sock.on("data", onData);
  });
  if (!head.startsWith("HTTP/1.1 101")) throw new Error(`raw websocket refused: ${head.split("\r\n")[0]}`);
  const payload = Buffer.from("40");
  const mask = randomBytes(4);
  const frame = Buffer.alloc(6 + payload.length);
  frame[0] = 0x81;
  frame[1] = 0x80 | payload.length;
  mask.copy(frame, 2);
  for (let i = 0; i < payload.length; i++) frame[6 + i] = payload[i]! ^ mask[i % 4]!;
  sock.write(frame);
  return { sock, openedAt };
}

/** Reads the stalled sockets at last, up to `waitMs` for the server to close each. */
async function stalledFates(stalled: StalledSocket[], waitMs: number): Promise<string> {
  const resumedAt = performance.now();
  const held = (resumedAt - Math.min(...stalled.map((s) => s.openedAt))) / 1000;
  const state = stalled.map((s) => {
    const st = { bytes: 0, firstReadMs: NaN, closedAfterS: NaN };
    s.sock.on("data", (d: Buffer) => {
      st.bytes += d.length;
      if (Number.isNaN(st.firstReadMs)) st.firstReadMs = performance.now();
    });
    const done = () => { if (Number.isNaN(st.closedAfterS)) st.closedAfterS = (performance.now() - s.openedAt) / 1000; };
    s.sock.on("end", done);
    s.sock.on("close", done);
    s.sock.resume();
    return st;
  });
  // The first 300 ms drain what the socket buffers held.
  await sleep(300);
  const waiting = state.map((st) => st.bytes);
  await waitFor("the server to close the stalled sockets", async () => state.every((st) => !Number.isNaN(st.closedAfterS)), waitMs, 250).catch(() => null);
  for (const s of stalled) s.sock.destroy();
  const closed = state.filter((st) => !Number.isNaN(st.closedAfterS)).map((st) => st.closedAfterS);
  const kib = (x: number) => (x / 1024).toFixed(0);
  return `not read for ${held.toFixed(0)} s; waiting in the socket buffers when read at last: ${kib(Math.min(...waiting))}–${kib(Math.max(...waiting))} KiB each; ` +
    (closed.length === stalled.length
      ? `all closed by the server ${Math.min(...closed).toFixed(0)}–${Math.max(...closed).toFixed(0)} s after they connected`
      : `${closed.length} of ${stalled.length} closed by the server within ${((performance.now() - Math.min(...stalled.map((s) => s.openedAt))) / 1000).toFixed(0)} s of connecting`);
}

/**
 * A socket.io desk client at the protocol level (engine.io 4 over a websocket, default namespace):
 * answers the server's pings, reads every frame, and takes the event name and `seq` from the first
 * bytes of each `42[...]` message without decoding the rest, so that 200 of them fit on the same
 * cores as the server. The server does exactly what it does for a browser.
 */
class LightDeskClient {
  markets = 0;
  desk = 0;
  marketsGaps = 0;
  deskGaps = 0;
  lastMarkets = -1;
  lastDesk = -1;
  bytes = 0;
  closed: string | null = null;
  private readonly sock: NetSocket;
  private handshake = "";
  private upgraded = false;
  private header = Buffer.alloc(0);
  private remaining = -1;
  private opcode = 0;
  private head: Buffer[] = [];
  private headLength = 0;

  constructor(port: number, cookie: string) {
    this.sock = connect(port, "127.0.0.1");
    this.sock.on("error", (e) => { this.closed ??= `socket error ${(e as NodeJS.ErrnoException).code ?? e.message}`; });
    this.sock.on("close", () => { this.closed ??= "closed by the server"; });
    this.sock.write(
      `GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nCookie: ${cookie}\r\n` +
      `Sec-WebSocket-Key: ${randomBytes(16).toString("base64")}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
    this.sock.on("data", (d: Buffer) => this.onData(d));
  }

  resetCounts(): void {
    this.markets = this.desk = this.marketsGaps = this.deskGaps = this.bytes = 0;
  }

  close(): void {
    this.sock.destroy();
  }

  private send(text: string): void {
    const payload = Buffer.from(text);
    const mask = randomBytes(4);
    const frame = Buffer.alloc(6 + payload.length);
    frame[0] = 0x81;
    frame[1] = 0x80 | payload.length; // short control messages only ("3", "40")
    mask.copy(frame, 2);
    for (let i = 0; i < payload.length; i++) frame[6 + i] = payload[i]! ^ mask[i % 4]!;
    this.sock.write(frame);
  }

  private onData(d: Buffer): void {
    this.bytes += d.length;
    if (!this.upgraded) {
      this.handshake += d.toString("latin1");
      const end = this.handshake.indexOf("\r\n\r\n");
      if (end < 0) return;
      if (!this.handshake.startsWith("HTTP/1.1 101")) {
        this.closed = `refused: ${this.handshake.split("\r\n")[0]}`;
        this.sock.destroy();
        return;
      }
      this.upgraded = true;
      const rest = Buffer.from(this.handshake.slice(end + 4), "latin1");
      this.send("40");
      if (rest.length) this.frames(rest);
      return;
    }
    this.frames(d);
  }

  /** Server frames are unmasked and unfragmented (ws, no compression). */
  private frames(d: Buffer): void {
    let at = 0;
    while (at < d.length) {
      if (this.remaining < 0) {
        // Collect a complete header (2, 4 or 10 bytes).
        const need = (buf: Buffer) => (buf.length < 2 ? 2 : (buf[1]! & 0x7f) === 126 ? 4 : (buf[1]! & 0x7f) === 127 ? 10 : 2);
        while (at < d.length && this.header.length < need(this.header)) {
          const take = Math.min(need(this.header) - this.header.length, d.length - at);
          this.header = Buffer.concat([this.header, d.subarray(at, at + take)]);
          at += take;
        }
        if (this.header.length < need(this.header)) return;
        const len7 = this.header[1]! & 0x7f;
        this.remaining = len7 === 126 ? this.header.readUInt16BE(2) : len7 === 127 ? Number(this.header.readBigUInt64BE(2)) : len7;
        this.opcode = this.header[0]! & 0x0f;
        this.header = Buffer.alloc(0);
        this.head = [];
        this.headLength = 0;
      }
      const take = Math.min(this.remaining, d.length - at);
      if (this.headLength < 48 && take > 0) {
        const part = d.subarray(at, at + Math.min(take, 48 - this.headLength));
        this.head.push(part);
        this.headLength += part.length;
      }
      at += take;
      this.remaining -= take;
      if (this.remaining === 0) {
        this.remaining = -1;
        this.message(this.opcode, Buffer.concat(this.head).toString("latin1"));
      }
    }
  }

  private message(opcode: number, head: string): void {
    if (opcode === 8) {
      this.closed ??= "close frame from the server";
      return;
    }
    if (opcode !== 1) return;
    if (head === "2") {
      this.send("3"); // engine.io pong
      return;
    }
    const m = /^42\["([a-z:]+)",\{"seq":(\d+)/.exec(head);
    if (!m) return;
    const seq = Number(m[2]);
    switch (m[1]) {
      case "markets:snapshot": this.lastMarkets = seq; break;
      case "desk:snapshot": this.lastDesk = seq; break;
      case "markets:delta":
        this.markets += 1;
        if (this.lastMarkets >= 0 && seq !== this.lastMarkets + 1) this.marketsGaps += 1;
        this.lastMarkets = seq;
        break;
      case "desk:delta":
        this.desk += 1;
        if (this.lastDesk >= 0 && seq !== this.lastDesk + 1) this.deskGaps += 1;
        this.lastDesk = seq;
        break;
    }
  }
}
