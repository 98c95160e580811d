/**
 * `/api/health` while traders post large what-ifs (docs/PERFORMANCE.md, "Health under what-if
 * load"; issue 15, item 18): the real server as `npm start` runs it (tests/support/app-server.ts:
 * production build, its own embedded PostgreSQL, simulator and execution off, the what-if limits
 * at their defaults unless LIQDESK_WHATIF_* is set in the environment), and TRADERS signed-in
 * traders (users created with `npm run user`, signed in through `POST /api/auth/sign-in/email`).
 *
 * Windows alternate, same server, same process:
 *   idle     nobody posts: the baseline;
 *   what-ifs each trader posts the same ~10 MB scenario (bench/lib/whatif-scenario.ts: 90,000
 *            accounts) to `POST /api/v1/risk/evaluate` back to back, reading each answer whole
 *            (a 429/503 refusal: the trader waits its Retry-After, at most 1 s, and posts again).
 * In each window one client, a process of its own, asks `GET /api/health` every 20 ms, one request
 * at a time, and times each answer. Reported: p50 / p99 / max per kind of window, the ratio what-ifs ÷ idle, the
 * server's own event-loop delay (p99 / max, prom-client's monitor read from /api/metrics: whether
 * the main thread itself was held up, as opposed to the machine or this process), the what-ifs
 * answered by status and their time, and the CPU of the server's threads.
 *
 * Quick mode (LIQDESK_BENCH_QUICK=1): windows of 5 s and 9,000-account what-ifs (about 1 MB).
 */
import { runScript, type AppServer } from "../tests/support/app-server";
import { signIn, type Session } from "../tests/support/sign-in";
import type { SummaryRow } from "./lib/bench-summary";
import { CpuWindow, commitLine, cpuLine, int, machineLine, ms, sleep, summarize, withServer } from "./lib/live-server";
import { eventLoopDelay as serverLoopDelay, probeHealth as probe } from "./lib/health-probe";
import { quickOr } from "./lib/quick-mode";
import { largeWhatIf } from "./lib/whatif-scenario";

const WINDOW_MS = quickOr(30_000, 5_000);
const ROUNDS = 2;
const PROBE_EVERY_MS = 20;
/** LIQDESK_BENCH_WHATIF_TRADERS: how many traders post at once (default 4). */
const TRADERS = Number(process.env.LIQDESK_BENCH_WHATIF_TRADERS ?? 4);
const ACCOUNTS = quickOr(90_000, 9_000);
const GOAL_MS = 100;
const METRICS_TOKEN = "bench-whatif-metrics-token-0123456789";

interface WindowResult {
  kind: "idle" | "what-ifs";
  latencies: number[];
  failures: number;
  /** What-if answers by HTTP status ("closed": the connection closed without an answer). */
  answers: Record<string, number>;
  /** Seconds from sending a what-if to its answer read whole, of those answered 200. */
  answerSeconds: number[];
  /** The server's main-thread event-loop delay over the window (its own monitor, from /api/metrics), ms. */
  loopP99: number;
  loopMax: number;
  cpu: string;
}

export default async function main(): Promise<SummaryRow[]> {
  console.log(machineLine());
  console.log(commitLine());
  const body = largeWhatIf(ACCOUNTS);
  console.log(`what-if: ${int(ACCOUNTS)} accounts, ${(Buffer.byteLength(body) / 1e6).toFixed(2)} MB of JSON; ${TRADERS} traders`);
  const limits = Object.entries(process.env).filter(([k]) => k.startsWith("LIQDESK_WHATIF_"));
  console.log(`what-if limits: ${limits.length ? limits.map(([k, v]) => `${k}=${v}`).join(" ") : "the defaults (lib/server/env.ts)"}`);
  let rows: SummaryRow[] = [];
  await withServer({ env: { LIQDESK_SIMULATOR: "off", LIQDESK_SIM_ACCOUNTS: "0", LIQDESK_EXECUTION: "off", LIQDESK_METRICS_TOKEN: METRICS_TOKEN } }, async (server) => {
    const traders = await signInTraders(server);
    const results: WindowResult[] = [];
    await measureWindow(server, "idle", []); // warm-up: Next loads the routes
    await measureWindow(server, "what-ifs", traders.slice(0, 1), body, 5_000); // warm-up: the what-if thread starts
    for (let round = 0; round < ROUNDS; round++) {
      results.push(await measureWindow(server, "idle", []));
      results.push(await measureWindow(server, "what-ifs", traders, body));
    }
    rows = report(results, Buffer.byteLength(body));
  });
  return rows;
}

async function signInTraders(server: AppServer): Promise<Session[]> {
  const password = "bench-whatif-password";
  const emails = Array.from({ length: TRADERS }, (_, i) => `bench-trader-${i}@liqdesk.local`);
  // Every user first: a sign-in right after a CLI run could meet a connection closed under it.
  for (const email of emails) runScript(server, "user", ["create", email, "--role", "trader", "--password", password]);
  const sessions: Session[] = [];
  for (const email of emails) sessions.push(await signIn(server.url, email, password));
  return sessions;
}

async function measureWindow(server: AppServer, kind: WindowResult["kind"], traders: Session[], body = "", windowMs = WINDOW_MS): Promise<WindowResult> {
  await eventLoopDelay(server).catch(() => undefined); // resets the server's monitor: the next reading covers this window
  const cpu = new CpuWindow(server.pid);
  const end = performance.now() + windowMs;
  const answers: Record<string, number> = {};
  const answerSeconds: number[] = [];
  const posting = traders.map(async (trader) => {
    while (performance.now() < end) {
      const t = performance.now();
      const res = await trader.fetch("/api/v1/risk/evaluate", { method: "POST", headers: { "content-type": "application/json" }, body })
        .then(async (r) => (await r.arrayBuffer(), r))
        .catch(() => null);
      if (!res) {
        // The server closed the connection without an answer (it crashed, or dropped the request).
        answers.closed = (answers.closed ?? 0) + 1;
        await sleep(1000);
        continue;
      }
      answers[res.status] = (answers[res.status] ?? 0) + 1;
      if (res.status === 200) answerSeconds.push((performance.now() - t) / 1000);
      else if (res.status === 429 || res.status === 503) await sleep(Math.min(1000, Number(res.headers.get("retry-after") ?? 1) * 1000));
      else throw new Error(`what-if answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
    }
  });
  const { latencies, failures } = await probe(server.url, end - performance.now(), PROBE_EVERY_MS);
  await Promise.all(posting);
  const use = cpuLine(cpu.end());
  const loop = await eventLoopDelay(server).catch(() => ({ p99: NaN, max: NaN }));
  return { kind, latencies, failures, answers, answerSeconds, loopP99: loop.p99, loopMax: loop.max, cpu: use };
}

/** The server's event-loop delay since the previous scrape (bench/lib/health-probe.ts). */
const eventLoopDelay = (server: AppServer) => serverLoopDelay(server, METRICS_TOKEN);

function report(results: WindowResult[], bytes: number): SummaryRow[] {
  console.log(`\n${WINDOW_MS / 1000} s windows, GET /api/health every ${PROBE_EVERY_MS} ms (one at a time); what-ifs: ${TRADERS} traders posting ` +
    `${(bytes / 1e6).toFixed(2)} MB scenarios back to back`);
  console.log("| window | health requests | failed | p50 ms | p99 ms | max ms | server event-loop delay p99 / max, ms | what-if answers by status | what-if time p50 / max, s |");
  console.log("|---|---:|---:|---:|---:|---:|---:|---|---:|");
  for (const [i, r] of results.entries()) {
    const s = summarize(r.latencies);
    const statuses = Object.entries(r.answers).map(([status, n]) => `${status}: ${n}`).join(", ") || "—";
    const t = summarize(r.answerSeconds);
    console.log(`| ${i + 1}. ${r.kind} | ${int(s.n)} | ${r.failures} | ${ms(s.p50, 2)} | ${ms(s.p99, 2)} | ${ms(s.max, 2)} | ${ms(r.loopP99)} / ${ms(r.loopMax)} | ${statuses} | ` +
      `${t.n ? `${t.p50.toFixed(1)} / ${t.max.toFixed(1)}` : "—"} |`);
  }
  for (const [i, r] of results.entries()) console.log(`  ${i + 1}. ${r.kind}: ${r.cpu}`);
  const all = (kind: WindowResult["kind"]) => summarize(results.filter((r) => r.kind === kind).flatMap((r) => r.latencies));
  const idle = all("idle");
  const busy = all("what-ifs");
  console.log(`\nall windows: idle p50 ${ms(idle.p50, 2)} / p99 ${ms(idle.p99, 2)} / max ${ms(idle.max, 2)} ms; ` +
    `what-ifs p50 ${ms(busy.p50, 2)} / p99 ${ms(busy.p99, 2)} / max ${ms(busy.max, 2)} ms; p99 what-ifs ÷ idle ${(busy.p99 / idle.p99).toFixed(2)}x`);
  console.log(`goal: p99 < ${GOAL_MS} ms while ${TRADERS} traders post ${(bytes / 1e6).toFixed(0)} MB what-ifs: ${busy.p99 < GOAL_MS ? "met" : "NOT met"} (${ms(busy.p99, 2)} ms)`);
  if (results.some((r) => r.failures > 0)) console.log("some health requests failed (non-200): see the table");
  return [{
    benchmark: "whatif-health", measure: `GET /api/health while ${TRADERS} traders post ${(bytes / 1e6).toFixed(0)} MB what-ifs (${int(ACCOUNTS)} accounts), p99`,
    value: busy.p99, unit: "ms", baseline: { measure: "the same server idle, p99", value: idle.p99 }, ratio: busy.p99 / idle.p99,
    goal: `< ${GOAL_MS} ms`, met: busy.p99 < GOAL_MS,
  }];
}
