import { findServices } from "@/lib/server/services/services-registry";
import { findClusterState } from "@/lib/server/cluster/cluster-registry";

const NO_STORE = { "cache-control": "no-store" };

/**
 * Liveness and readiness: 200 `{ db: "ok", uptimeS }` when the runtime is up and PostgreSQL
 * answers; 503 naming what is not ready otherwise. With several instances (REDIS_URL) it adds
 * `role` ("leader": runs the engine; "standby": forwards to the leader and waits for the engine
 * lock) and `leader` (the leader's internal address, null when none holds the lock); a standby is
 * ready without a runtime of its own.
 */
export async function GET(): Promise<Response> {
  const cluster = findClusterState();
  if (cluster) {
    const uptimeS = Math.round((Date.now() - cluster.startedAt) / 1000);
    const role = cluster.role();
    const [dbProblem, leader] = await Promise.all([cluster.checkDatabase(), cluster.leaderUrl()]);
    if (dbProblem !== null) {
      return Response.json({ db: "down", uptimeS, role, leader, notReady: ["db"], message: `database: ${dbProblem}` }, { status: 503 });
    }
    return Response.json({ db: "ok", uptimeS, role, leader }, { headers: NO_STORE });
  }
  // Not behind `guarded` (a probe has no credential, and "not ready" is an answer here, not an error).
  const health = findServices()?.health;
  if (!health) {
    return Response.json({ db: "unknown", notReady: ["runtime"], message: "the live runtime is still starting" }, { status: 503 });
  }
  const uptimeS = Math.round((Date.now() - health.startedAt) / 1000);
  const dbProblem = await health.checkDatabase();
  if (dbProblem !== null) {
    return Response.json({ db: "down", uptimeS, notReady: ["db"], message: `database: ${dbProblem}` }, { status: 503 });
  }
  return Response.json({ db: "ok", uptimeS }, { headers: NO_STORE });
}
