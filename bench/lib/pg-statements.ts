import { withClient } from "./scratch-postgres";

/**
 * Opt-in diagnostics (LIQDESK_BENCH_PG_STATEMENTS=1): which statements keep a benchmark's scratch
 * PostgreSQL busy, from pg_stat_statements (loaded with `shared_preload_libraries`, so the scratch
 * server must be started with `PG_STATEMENTS_SETTINGS`). Reset at a window's start, read at its end.
 */
export const PG_STATEMENTS = process.env.LIQDESK_BENCH_PG_STATEMENTS === "1";
export const PG_STATEMENTS_SETTINGS: Record<string, string> = PG_STATEMENTS ? { shared_preload_libraries: "pg_stat_statements", "pg_stat_statements.track": "all" } : {};

export async function resetStatements(url: string): Promise<void> {
  if (!PG_STATEMENTS) return;
  await withClient(url, async (c) => {
    await c.query("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
    await c.query("SELECT pg_stat_statements_reset()");
  });
}

/** The `n` statements with the most execution time since the reset, one line each. */
export async function topStatements(url: string, n = 15): Promise<string[]> {
  if (!PG_STATEMENTS) return [];
  return withClient(url, async (c) => {
    const r = await c.query<{ calls: string; total: number; mean: number; rows: string; query: string }>(
      `SELECT calls, total_exec_time AS total, mean_exec_time AS mean, rows, query FROM pg_stat_statements
        ORDER BY total_exec_time DESC LIMIT $1`, [n]);
    return r.rows.map((s) => `${Math.round(s.total)} ms in ${s.calls} calls (mean ${s.mean.toFixed(2)} ms, ${s.rows} rows): ${s.query.replace(/\s+/g, " ").slice(0, 300)}`);
  });
}
