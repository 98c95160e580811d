import "server-only";
import { processSlot } from "@/lib/server/process-slot";

/** What /api/health says about this instance's part in a deployment of several (docs/SCALING.md). */
export interface ClusterState {
  role(): "leader" | "standby";
  /** The leader's internal address (this instance's own while it leads); null while none holds the lock. */
  leaderUrl(): Promise<string | null>;
  /** null when PostgreSQL answers, else what is wrong (the runtime's check is not there on a standby). */
  checkDatabase(): Promise<string | null>;
  startedAt: number;
}

/** Set by server.ts when REDIS_URL is set; shared with route handlers as the runtime is (lib/server/process-slot.ts). */
const slot = processSlot<ClusterState>("liqdesk.cluster");

export function setClusterState(state: ClusterState | undefined): void {
  slot.set(state);
}

export function findClusterState(): ClusterState | undefined {
  return slot.find();
}
