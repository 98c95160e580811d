import { findRuntime } from "@/lib/server/runtime-registry";

/**
 * Liveness and readiness: 200 `{ db: "ok", uptimeS }` when the runtime is up and PostgreSQL
 * answers; 503 naming what is not ready otherwise.
 */
export async function GET(): Promise<Response> {
  const runtime = findRuntime();
  if (!runtime) {
    return Response.json({ db: "unknown", notReady: ["runtime"], message: "the live runtime is still starting" }, { status: 503 });
  }
  const uptimeS = Math.round((Date.now() - runtime.startedAt) / 1000);
  const dbProblem = await runtime.checkDatabase();
  if (dbProblem !== null) {
    return Response.json({ db: "down", uptimeS, notReady: ["db"], message: `database: ${dbProblem}` }, { status: 503 });
  }
  return Response.json({ db: "ok", uptimeS }, { headers: { "cache-control": "no-store" } });
}
