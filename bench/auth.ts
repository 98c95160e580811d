/**
 * What sign-in and authorization cost on the request path, against the real server (`npm start`'s
 * path) with its embedded PostgreSQL, simulator off:
 *
 * - baseline: `GET /api/health` (open: no credential resolved; one `SELECT 1`);
 * - `GET /api/v1/me` with a session cookie (better-auth's session lookup + the trader's bindings
 *   + the policy): the cost every signed-in request adds;
 * - `GET /api/v1/accounts/:id` as the owner (session + policy + the engine's view + history);
 * - `POST …/topups/preview` and `POST …/topups` (one transaction: balance, ledger, audit; then the
 *   engine) as the owner;
 * - `POST /api/auth/sign-in/email` (scrypt verify).
 *
 * Sequential requests from one client; p50/p99 latency and each endpoint's p50 as a ratio of the
 * baseline's, measured in the same run. Run: `npm run --silent bench -- auth`.
 */
import os from "node:os";
import { IngestClient } from "../tests/support/ingest-client";
import { runScript, type AppServer } from "../tests/support/app-server";
import { createUser, signIn, type Session } from "../tests/support/sign-in";
import { commitLine, machineLine, ms, summarize, withServer } from "./lib/live-server";
import type { SummaryRow } from "./lib/bench-summary";
import { quickOr } from "./lib/quick-mode";

/** Quick mode (LIQDESK_BENCH_QUICK=1): 40 requests each, 4 sign-ins. */
const N = quickOr(400, 40);
const SIGN_INS = quickOr(40, 4);

async function timed(n: number, request: (i: number) => Promise<Response>): Promise<ReturnType<typeof summarize>> {
  const samples: number[] = [];
  for (let i = -20; i < n; i++) {
    const start = performance.now();
    const res = await request(i);
    await res.arrayBuffer();
    if (res.status >= 300) throw new Error(`answered ${res.status}`);
    if (i >= 0) samples.push(performance.now() - start);
  }
  return summarize(samples);
}

async function run(server: AppServer): Promise<SummaryRow[]> {
  const ingest = new IngestClient(server.url, runScript(server, "token", ["create", "bench-auth"]).trim());
  await ingest.mark("BTC-PERP", 60000);
  await ingest.post("collateral", { entries: [{ accountId: "bench-a", amount: "20000", kind: "deposit", idempotencyKey: "bench-a-dep" }] });
  await ingest.post("positions", { source: "bench", updates: [{ accountId: "bench-a", marketId: "BTC-PERP", qty: 2, entryPrice: 60000, seq: 1 }] });
  const password = createUser(server, "bench@auth.test", "trader", ["bench-a"]);
  const trader: Session = await signIn(server.url, "bench@auth.test", password);

  const rows: [string, ReturnType<typeof summarize>][] = [];
  rows.push(["GET /api/health (open, baseline)", await timed(N, () => fetch(`${server.url}/api/health`))]);
  rows.push(["GET /api/v1/me (session)", await timed(N, () => trader.fetch("/api/v1/me"))]);
  rows.push(["GET /api/v1/accounts/:id (owner)", await timed(N, () => trader.fetch("/api/v1/accounts/bench-a"))]);
  rows.push(["POST …/topups/preview (owner)", await timed(N, () => trader.post("/api/v1/accounts/bench-a/topups/preview", { amount: "100" }))]);
  rows.push(["POST …/topups (owner)", await timed(N, (i) => trader.post("/api/v1/accounts/bench-a/topups", { amount: "1", idempotencyKey: `b-${i}` }))]);
  rows.push(["POST /api/auth/sign-in/email (scrypt)", await timed(SIGN_INS, () => fetch(`${server.url}/api/auth/sign-in/email`, {
    method: "POST", headers: { "content-type": "application/json", origin: server.url }, body: JSON.stringify({ email: "bench@auth.test", password }),
  }))]);
  const base = rows[0]![1].p50;
  console.log(`load average at the end: ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  console.log("");
  console.log("| request, sequential | n | p50 ms | p99 ms | p50 ÷ health p50 |");
  console.log("|---|---:|---:|---:|---:|");
  for (const [name, s] of rows) console.log(`| ${name} | ${s.n} | ${ms(s.p50, 2)} | ${ms(s.p99, 2)} | ${(s.p50 / base).toFixed(2)}x |`);
  const baseline = { measure: "GET /api/health (open), p50", value: base };
  return rows.slice(1).map(([name, s]) => ({ benchmark: "auth", measure: `${name}, sequential, p50`, value: s.p50, unit: "ms", baseline, ratio: s.p50 / base }));
}

export default async function main(): Promise<SummaryRow[]> {
  console.log(machineLine());
  console.log(`measured at ${commitLine()}`);
  console.log(`load average at the start: ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  return await withServer({ env: {
    LIQDESK_SIMULATOR: "off", LIQDESK_EXECUTION: "off", LIQDESK_STALE_AFTER_MS: "600000",
    LIQDESK_TOPUP_RATE_LIMIT: "100000", LIQDESK_SIGNIN_RATE_LIMIT: "100000",
  } }, run);
}
