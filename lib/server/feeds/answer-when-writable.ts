import "server-only";
import type { Socket } from "socket.io";

/** The part of engine.io's transport this needs: whether it can take a packet now, and when it can again. */
interface Transport {
  writable: boolean;
  once(event: "ready", listener: () => void): unknown;
  off(event: "ready", listener: () => void): unknown;
}

/**
 * Answers a client's request for a snapshot now when its connection can take it; otherwise once,
 * when it can again (its transport is ready, or replaced by an upgrade), with the snapshot as it
 * is then. A client that asks again meanwhile, or asks over and over without reading, is answered
 * once: each `send` has at most one call waiting, so what the server holds for a client stays
 * bounded (DESIGN: a slow client skips frames). `send` must take its snapshot when called: the
 * answer is as new as the moment it is sent, every delta before it older, every one after newer.
 */
export function answerWhenWritable(socket: Socket): (send: () => void) => void {
  const waiting = new Set<() => void>();
  let transport: Transport | null = null;
  const flush = () => {
    transport?.off("ready", flush);
    socket.conn.off("upgrade", flush);
    transport = null;
    const sends = [...waiting];
    waiting.clear();
    if (socket.connected) for (const s of sends) s();
  };
  return (send) => {
    const now = socket.conn.transport as unknown as Transport;
    if (waiting.size === 0 && now.writable) {
      send();
      return;
    }
    waiting.add(send);
    if (transport) return;
    transport = now;
    transport.once("ready", flush);
    socket.conn.once("upgrade", flush);
  };
}
