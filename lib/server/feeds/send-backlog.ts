import "server-only";
import type { Server } from "socket.io";

/** What this process holds for one connection and has not yet handed to the kernel (engine.io keeps it private: read only). */
interface EngineConnection {
  /** Packets waiting for the transport to be writable again (engine.io's `writeBuffer`). */
  writeBuffer?: { data?: unknown }[];
  /** The websocket transport's `ws` socket: `bufferedAmount` is what it has queued in user space. */
  transport?: { socket?: { bufferedAmount?: number } };
}

/** Bytes held for socket clients in this process, all together and for the one holding most. */
export interface SendBacklog {
  bytes: number;
  largest: number;
}

function packetBytes(data: unknown): number {
  if (typeof data === "string") return Buffer.byteLength(data);
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return data.byteLength;
  return 0;
}

/**
 * Bytes this process holds for its socket clients and has not yet handed to the kernel: packets
 * waiting in engine.io's write buffer and what each websocket has queued (`bufferedAmount`).
 * Bounded for a client that stops reading: while its transport is busy, volatile frames are
 * skipped, so only the frame in flight and the odd heartbeat or snapshot wait.
 */
export function sendBacklog(io: Server): SendBacklog {
  const connections = (io.engine as unknown as { clients: Record<string, EngineConnection> }).clients;
  let bytes = 0;
  let largest = 0;
  for (const conn of Object.values(connections)) {
    let held = conn.transport?.socket?.bufferedAmount ?? 0;
    for (const packet of conn.writeBuffer ?? []) held += packetBytes(packet.data);
    bytes += held;
    largest = Math.max(largest, held);
  }
  return { bytes, largest };
}
