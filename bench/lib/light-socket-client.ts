/**
 * A desk client at socket.io's protocol level (engine.io 4 over a websocket, default namespace),
 * cheap enough that a thousand fit in one process beside the server: it answers the server's
 * pings, reads every frame, and takes the event name, `seq` and `serverTime` from the first bytes of
 * each `42[...]` message without decoding the rest. The server does exactly what it does for a
 * browser. It can also time each `markets:delta` from its `serverTime` to its receipt.
 */
import { connect, type Socket as NetSocket } from "node:net";
import { randomBytes } from "node:crypto";

/**
 * Opens the websocket a socket.io client opens (`/socket.io/?EIO=4&transport=websocket`). The one
 * place that writes the upgrade request: `headers` carries what a signed-in browser sends
 * (`{ cookie: "…" }`: sockets require a session).
 */
export function openSocketIoWebsocket(port: number, headers: Record<string, string> = {}): NetSocket {
  const sock = connect(port, "127.0.0.1");
  const extra = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join("");
  sock.write(
    `GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
    `Sec-WebSocket-Key: ${randomBytes(16).toString("base64")}\r\nSec-WebSocket-Version: 13\r\n${extra}\r\n`,
  );
  return sock;
}

/** A client's websocket text frame (masked, as a client must), for short messages only ("3", "40"). */
export function maskedTextFrame(text: string): Buffer {
  const payload = Buffer.from(text);
  if (payload.length > 125) throw new RangeError("short messages only");
  const mask = randomBytes(4);
  const frame = Buffer.alloc(6 + payload.length);
  frame[0] = 0x81;
  frame[1] = 0x80 | payload.length;
  mask.copy(frame, 2);
  for (let i = 0; i < payload.length; i++) frame[6 + i] = payload[i]! ^ mask[i % 4]!;
  return frame;
}

/** Receipt of one `markets:delta`: its seq, the server's push time and the local receipt time (ms since the epoch). */
export type MarketsDeltaListener = (seq: number, serverTime: number, receivedAt: number) => void;

/** First bytes of a message kept for parsing: enough for `42["markets:delta",{"seq":…,"serverTime":…,`. */
const HEAD_BYTES = 96;

export class LightSocketClient {
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

  constructor(port: number, private readonly onMarketsDelta: MarketsDeltaListener | null = null, headers: Record<string, string> = {}) {
    this.sock = openSocketIoWebsocket(port, headers);
    this.sock.on("error", (e) => { this.closed ??= `socket error ${(e as NodeJS.ErrnoException).code ?? e.message}`; });
    this.sock.on("close", () => { this.closed ??= "closed by the server"; });
    this.sock.on("data", (d: Buffer) => this.onData(d));
  }

  /** Both snapshots received (the client has joined both streams). */
  get joined(): boolean {
    return this.lastMarkets >= 0 && this.lastDesk >= 0;
  }

  resetCounts(): void {
    this.markets = this.desk = this.marketsGaps = this.deskGaps = this.bytes = 0;
  }

  close(): void {
    this.sock.destroy();
  }

  private send(text: string): void {
    this.sock.write(maskedTextFrame(text));
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
      if (this.headLength < HEAD_BYTES && take > 0) {
        const part = d.subarray(at, at + Math.min(take, HEAD_BYTES - this.headLength));
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
    if (head.startsWith("44")) {
      this.closed ??= `connect_error from the server: ${head}`; // e.g. no valid session
      return;
    }
    const m = /^42\["([a-z:]+)",\{"seq":(\d+)(?:,"serverTime":(\d+))?/.exec(head);
    if (!m) return;
    const seq = Number(m[2]);
    switch (m[1]) {
      case "markets:snapshot": this.lastMarkets = seq; break;
      case "desk:snapshot": this.lastDesk = seq; break;
      case "markets:delta":
        this.markets += 1;
        if (this.lastMarkets >= 0 && seq !== this.lastMarkets + 1) this.marketsGaps += 1;
        this.lastMarkets = seq;
        if (this.onMarketsDelta && m[3] !== undefined) this.onMarketsDelta(seq, Number(m[3]), Date.now());
        break;
      case "desk:delta":
        this.desk += 1;
        if (this.lastDesk >= 0 && seq !== this.lastDesk + 1) this.deskGaps += 1;
        this.lastDesk = seq;
        break;
    }
  }
}
