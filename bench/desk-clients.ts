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
 *                 speak the protocol themselves (bench/lib/light-socket-client.ts: handshake, CONNECT, pongs)
 *                 and read the event name and seq without decoding the payload, so that the
 *                 clients do not take the cores the server is measured on. Plus eleven
 *                 clients that stop reading: a socket.io client (socket.io-client) whose TCP socket
 *                 is paused right after its snapshots, and ten raw websockets that join (socket.io
 *                 CONNECT) and never read a byte. 60 s: the same CPU figures, RSS every second.
 *
 * If the server queued frames for the stalled clients, it would hold about eleven times what a
 * reading client receives (printed); volatile frames are skipped instead. What it holds is read
 * directly, four times a second, from `GET /api/metrics`: `liqdesk_socket_send_buffer_bytes`,
 * the bytes waiting in engine.io's write buffers and the websockets' own queues, for all clients
 * and for the client holding most. RSS is printed too, but it is not the measure: the heap grows
 * and shrinks with the garbage collector by tens of MB with no client at all. At the end the
 * stalled sockets are read: what the kernel's buffers held for them, and whether the server had
 * closed them (socket.io's heartbeat: a ping every 25 s, 20 s to answer, then `ws` waits up to
 * 30 s for the closing handshake).
 */
import type { Socket as NetSocket } from "node:net";
import { io, type Socket } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents } from "@/lib/contracts/socket-events";
import type { AppServer } from "../tests/support/app-server";
import { signInDesk } from "../tests/support/sign-in";
import { LightSocketClient, maskedTextFrame, openSocketIoWebsocket } from "./lib/light-socket-client";
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
/** The scrape token the server is started with (LIQDESK_METRICS_TOKEN). */
const METRICS_TOKEN = `desk-clients-${process.pid}-metrics-scrape-token`;
const BACKLOG_SAMPLE_MS = 250;

type DeskSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

interface Phase {
  cpu: CpuUse;
  rssStart: number;
  rssEnd: number;
  rssMax: number;
  /** Peak of `liqdesk_socket_send_buffer_bytes`: all clients together, and the client holding most. */
  backlogMax: SendBacklog;
}

interface SendBacklog {
  all: number;
  largest: number;
}

export default async function main(): Promise<SummaryRow[]> {
  console.log(machineLine());
  console.log(commitLine());
  return await withServer({ env: { LIQDESK_SIMULATOR: "on", LIQDESK_SIM_TICK_MS: String(TICK_MS), LIQDESK_METRICS_TOKEN: METRICS_TOKEN } }, async (server) => {
    await waitForSimulator(server, 300_000);
    const book = (await deskSnapshot(server)).summary.book;
    console.log(`server: simulator on, LIQDESK_SIM_TICK_MS=${TICK_MS}, ${int(book.accounts)} demo accounts, ${int(book.positions)} positions; warm-up ${WARMUP_MS / 1000} s, windows of ${WINDOW_MS / 1000} s`);
    await sleep(WARMUP_MS);

    const idle = await phase(server, WINDOW_MS);
    console.log("");
    console.log(`-- 0 clients: ${cpuLine(idle.cpu)}`);
    console.log(`   server RSS ${MB(idle.rssStart)} at start, ${MB(idle.rssEnd)} at end, max ${MB(idle.rssMax)}`);
    console.log(`   bytes held for socket clients (peak): ${KiB(idle.backlogMax.all)}`);

    // 200 reading clients.
    const clients: LightSocketClient[] = [];
    const { cookie } = await signInDesk(server);
    for (let i = 0; i < CLIENTS; i++) clients.push(new LightSocketClient(server.port, null, { cookie }));
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
    console.log(`   bytes held for socket clients, sampled every ${BACKLOG_SAMPLE_MS} ms (peak): all ${KiB(loaded.backlogMax.all)}, the client holding most ${KiB(loaded.backlogMax.largest)}`);
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
    console.log(`| bytes held for socket clients, peak | ${KiB(idle.backlogMax.all)} | ${KiB(loaded.backlogMax.all)} | |`);
    console.log("");
    console.log(`goal: server under one core with ${CLIENTS} clients: ${loaded.cpu.serverPct.toFixed(0)}% — ${loaded.cpu.serverPct < 100 ? "met" : "NOT met"}`);
    const ifQueued = bytes.p50 * (1 + STALLED_RAW);
    const held = loaded.backlogMax.all;
    console.log(`slow clients: the server held at most ${KiB(held)} for all its clients (${KiB(loaded.backlogMax.largest)} for one); ` +
      `queuing every frame for the ${1 + STALLED_RAW} stalled clients would hold ≈ ${MB(ifQueued)} — ` +
      `${held < ifQueued / 4 ? "frames skipped, not buffered" : "CHECK: the server may be buffering for them"}`);

    const rows: SummaryRow[] = [
      {
        benchmark: "desk-clients", measure: `server process CPU with ${readers}`, value: loaded.cpu.serverPct, unit: "% of one core",
        baseline: { measure: "the same server with 0 clients", value: idle.cpu.serverPct }, ratio: loaded.cpu.serverPct / idle.cpu.serverPct,
        goal: "< 100% (one core)", met: loaded.cpu.serverPct < 100,
      },
      {
        benchmark: "desk-clients", measure: `bytes held for socket clients (\`liqdesk_socket_send_buffer_bytes\`), peak, ${1 + STALLED_RAW} of them not reading`, value: held / 2 ** 20, unit: "MB",
        baseline: { measure: "what queuing every frame for the stalled clients would hold", value: ifQueued / 2 ** 20 }, ratio: held / ifQueued,
        goal: "< ¼ of the baseline (frames skipped, not buffered)", met: held < ifQueued / 4,
      },
      {
        benchmark: "desk-clients", measure: `server RSS peak above the window's start, ${1 + STALLED_RAW} clients not reading (garbage collector included)`,
        value: (loaded.rssMax - loaded.rssStart) / 2 ** 20, unit: "MB",
        baseline: { measure: "the same with 0 clients", value: (idle.rssMax - idle.rssStart) / 2 ** 20 },
      },
      { benchmark: "desk-clients", measure: "received per reading client", value: bytes.p50 / seconds / 1024, unit: "KiB/s" },
    ];
    return rows;
  });
}

async function phase(server: AppServer, windowMs: number): Promise<Phase> {
  const rssStart = procSample(server.pid)?.rssBytes ?? NaN;
  let rssMax = rssStart;
  const backlogMax: SendBacklog = { all: 0, largest: 0 };
  const cpu = new CpuWindow(server.pid);
  const end = performance.now() + windowMs;
  while (performance.now() < end) {
    await sleep(Math.min(BACKLOG_SAMPLE_MS, end - performance.now()));
    rssMax = Math.max(rssMax, procSample(server.pid)?.rssBytes ?? 0);
    const backlog = await sendBacklog(server);
    backlogMax.all = Math.max(backlogMax.all, backlog.all);
    backlogMax.largest = Math.max(backlogMax.largest, backlog.largest);
  }
  const use = cpu.end();
  const rssEnd = procSample(server.pid)?.rssBytes ?? NaN;
  return { cpu: use, rssStart, rssEnd, rssMax: Math.max(rssMax, rssEnd), backlogMax };
}

/** `liqdesk_socket_send_buffer_bytes` from the server's metrics, as it is now. */
async function sendBacklog(server: AppServer): Promise<SendBacklog> {
  const res = await fetch(`${server.url}/api/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  if (!res.ok) throw new Error(`GET /api/metrics: ${res.status}`);
  const text = await res.text();
  const sample = (of: string) => {
    const match = new RegExp(`^liqdesk_socket_send_buffer_bytes\\{of="${of}"\\} (\\S+)$`, "m").exec(text);
    if (!match) throw new Error(`GET /api/metrics: no liqdesk_socket_send_buffer_bytes{of="${of}"}`);
    return Number(match[1]);
  };
  return { all: sample("all"), largest: sample("largest") };
}

const KiB = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;

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
  const sock = openSocketIoWebsocket(server.port, { cookie });
  sock.on("error", () => {}); // a reset by the server is an outcome, reported by stalledFates()
  await new Promise<void>((resolve, reject) => { sock.once("connect", () => resolve()); sock.once("error", reject); });
  const openedAt = performance.now();
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
  sock.write(maskedTextFrame("40"));
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
