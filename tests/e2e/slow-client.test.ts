import type { Socket as NetSocket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { io, type Socket } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents } from "@/lib/contracts/socket-events";
import { startAppServer, stopAndRemove, type AppServer } from "../support/app-server";
import { signInDesk } from "../support/sign-in";

/**
 * A slow client skips frames; the server's buffers for it stay bounded (issue 5, DESIGN "Socket
 * events"). A desk client that stops reading and keeps asking for snapshots (tens of MB of them,
 * far more than the kernel's socket buffers take) costs the server at most one waiting copy of
 * each snapshot, read from `liqdesk_socket_send_buffer_bytes` on `GET /api/metrics`; once it reads
 * again, it is answered.
 */
const METRICS_TOKEN = "slow-client-test-scrape-token-0123456789";
/** What the stalled client asks for, at least: several times what the loopback's socket buffers hold. */
const ASKED_BYTES = 48 * 2 ** 20;

type DeskSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

let server: AppServer;

async function heldBytes(): Promise<{ all: number; largest: number }> {
  const res = await fetch(`${server.url}/api/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  expect(res.status).toBe(200);
  const text = await res.text();
  const sample = (of: string) => {
    const match = new RegExp(`^liqdesk_socket_send_buffer_bytes\\{of="${of}"\\} (\\S+)$`, "m").exec(text);
    expect(match, `liqdesk_socket_send_buffer_bytes{of="${of}"}`).not.toBeNull();
    return Number(match![1]);
  };
  return { all: sample("all"), largest: sample("largest") };
}

function next<T>(socket: DeskSocket, event: "desk:snapshot" | "markets:snapshot", timeoutMs = 10_000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${timeoutMs} ms`)), timeoutMs);
    socket.once(event, (value: unknown) => {
      clearTimeout(timer);
      resolve(value as T);
    });
  });
}

describe("a desk client that stops reading", () => {
  beforeAll(async () => {
    server = await startAppServer({ env: {
      LIQDESK_SIMULATOR: "off", LIQDESK_EXECUTION: "off", LIQDESK_STALE_AFTER_MS: "600000", LIQDESK_METRICS_TOKEN: METRICS_TOKEN,
    } });
  });

  afterAll(async () => {
    await stopAndRemove(server);
  });

  it("is answered once per kind of snapshot while it does not read, and again when it reads", async () => {
    const { cookie } = await signInDesk(server);
    const socket: DeskSocket = io(server.url, { transports: ["websocket"], forceNew: true, reconnection: false, extraHeaders: { cookie } });
    try {
      const [desk, markets] = await Promise.all([next<unknown>(socket, "desk:snapshot"), next<unknown>(socket, "markets:snapshot")]);
      const snapshotBytes = Buffer.byteLength(JSON.stringify(desk)) + Buffer.byteLength(JSON.stringify(markets));
      expect((await heldBytes()).all).toBeLessThan(snapshotBytes);

      // engine.io-client's websocket transport holds a `ws` WebSocket; its `_socket` is the TCP socket.
      const tcp = (socket.io.engine.transport as unknown as { ws?: { _socket?: NetSocket } }).ws?._socket;
      expect(tcp, "the client's TCP socket").toBeDefined();
      tcp!.pause();
      const asks = Math.ceil(ASKED_BYTES / snapshotBytes);
      for (let i = 0; i < asks; i++) {
        socket.emit("desk:resync");
        socket.emit("markets:resync");
      }

      // Each ask is a few dozen bytes: the server reads them all in well under these 4 s.
      let peak = { all: 0, largest: 0 };
      for (let i = 0; i < 20; i++) {
        await new Promise((r) => setTimeout(r, 200));
        const now = await heldBytes();
        peak = { all: Math.max(peak.all, now.all), largest: Math.max(peak.largest, now.largest) };
      }
      // The kernel's buffers fill first; past them, one snapshot of each kind in flight and one waiting.
      expect(peak.largest, `asked for ${asks} of each (${(asks * snapshotBytes / 2 ** 20).toFixed(0)} MB)`).toBeLessThanOrEqual(2 * snapshotBytes + 4096);

      // Reading again, it drains what the kernel held and is answered.
      let received = 0;
      socket.on("desk:snapshot", () => { received += 1; });
      tcp!.resume();
      for (let seen = -1, deadline = Date.now() + 20_000; received !== seen && Date.now() < deadline;) {
        seen = received;
        await new Promise((r) => setTimeout(r, 500));
      }
      const answered = next<{ seq: number }>(socket, "desk:snapshot");
      socket.emit("desk:resync");
      expect((await answered).seq).toBeGreaterThanOrEqual(0);
      expect((await heldBytes()).all).toBeLessThan(snapshotBytes);
    } finally {
      socket.disconnect();
    }
  });
});
