import "server-only";
import type { PrismaClient } from "../db/prisma-client";
import { checkDatabase } from "../check-database";
import type { SendBacklog } from "../feeds/send-backlog";
import type { MarginSnapshotter } from "../margin-snapshotter";
import type { RoomKind } from "@/lib/contracts/socket-events";

/** What the health check and the metrics read of the running process. */
export class HealthService {
  constructor(
    readonly startedAt: number,
    private readonly prisma: PrismaClient,
    private readonly snapshotter: MarginSnapshotter,
    private readonly sockets: { clients(): Record<RoomKind, number>; sendBacklog(): SendBacklog },
  ) {}

  /** null when the database answers within the timeout, else what is wrong. */
  checkDatabase(timeoutMs = 2000): Promise<string | null> {
    return checkDatabase(this.prisma, timeoutMs);
  }

  /** Connected socket clients by room kind (all 0 before the feeds are attached). */
  socketClients(): Record<RoomKind, number> {
    return this.sockets.clients();
  }

  /** Bytes held in this process for socket clients, not yet written to their connections (0 before the feeds are attached). */
  socketSendBacklog(): SendBacklog {
    return this.sockets.sendBacklog();
  }

  /** The margin snapshotter's backlog and the age of its last flush. */
  snapshotLag(now = Date.now()): ReturnType<MarginSnapshotter["lag"]> {
    return this.snapshotter.lag(now);
  }
}
