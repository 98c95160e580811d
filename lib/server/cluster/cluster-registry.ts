import "server-only";

/** What /api/health says about this instance's part in a deployment of several (docs/SCALING.md). */
export interface ClusterState {
  role(): "leader" | "standby";
  /** The leader's internal address (this instance's own while it leads); null while none holds the lock. */
  leaderUrl(): Promise<string | null>;
  /** null when PostgreSQL answers, else what is wrong (the runtime's check is not there on a standby). */
  checkDatabase(): Promise<string | null>;
  startedAt: number;
}

/** Set by server.ts when REDIS_URL is set; shared with route handlers through globalThis, as the runtime is. */
const KEY = Symbol.for("liqdesk.cluster");
type Holder = { [KEY]?: ClusterState };

export function setClusterState(state: ClusterState | undefined): void {
  (globalThis as Holder)[KEY] = state;
}

export function findClusterState(): ClusterState | undefined {
  return (globalThis as Holder)[KEY];
}
