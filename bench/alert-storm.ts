/**
 * An alert storm and `/api/health` (docs/PERFORMANCE.md, "Alert storm"; issue 17): the real server
 * as `npm start` runs it (tests/support/app-server.ts: production build, its own embedded
 * PostgreSQL, simulator and execution off) with a book of ACCOUNTS accounts, each 0.1 BTC long
 * from 60,000 with collateral that keeps it healthy there and puts it in warning (margin ratio
 * halfway between warnRatio and 1) at 57,000. One price move to 57,000 puts all of them in warning.
 *
 * The server's own path end to end: the engine evaluates the rule "status-warning" (set through the
 * desk's rules API to raise and resolve at once; every other account rule disabled, so that only
 * this one fires) as the move puts the accounts in warning, the alerts engine writes the ACCOUNTS
 * raises (rows, `alert_events`, audit), the inbox's push reads the counts, and the webhook
 * dispatcher fans the events out and POSTs ACCOUNTS signed deliveries to a local receiver
 * (127.0.0.1, in this process, answering 200).
 *
 * Windows alternate, same server, same process, same length:
 *   move   the rule disabled: the price moves to 57,000 one second in (every account into warning)
 *          and back at the end; no alerts, no webhook: the baseline;
 *   storm  the rule enabled and one JSON webhook: the same move raises ACCOUNTS alerts; the window
 *          lasts until every delivery has been received (at least the baseline's length).
 * In each window one client, a process of its own, asks `GET /api/health` every 20 ms, one request
 * at a time, and times each answer. Reported: p50 / p99 / max per window, the ratio storm ÷ move,
 * the server's event-loop delay, how long the fan-out and the deliveries took, and the CPU use.
 *
 * Quick mode (LIQDESK_BENCH_QUICK=1): 1,000 accounts, one round.
 */
import { createPrismaClient, type PrismaClient } from "@/lib/server/db/prisma-client";
import { compileMarket, DEFAULT_RISK_PARAMS, maintenanceMargin } from "@/lib/risk";
import { seedMarkets } from "@/lib/sim/seed-markets";
import { runScript, type AppServer } from "../tests/support/app-server";
import { IngestClient } from "../tests/support/ingest-client";
import { signInDesk } from "../tests/support/sign-in";
import { startWebhookReceiver, type WebhookReceiver } from "../tests/support/webhook-receiver";
import type { SummaryRow } from "./lib/bench-summary";
import { eventLoopDelay, probeHealth } from "./lib/health-probe";
import { CpuWindow, commitLine, cpuLine, deskSnapshot, int, machineLine, ms, sleep, summarize, waitFor, withServer } from "./lib/live-server";
import { quickOr } from "./lib/quick-mode";

const ACCOUNTS = quickOr(10_000, 1_000);
const ROUNDS = quickOr(2, 1);
const MOVE_WINDOW_MS = quickOr(20_000, 8_000);
const STORM_TIMEOUT_MS = 300_000;
const PROBE_EVERY_MS = 20;
const GOAL_MS = 100;
const START = 60_000;
const MOVED = 57_000;
const QTY = 0.1;
const METRICS_TOKEN = "bench-alert-storm-metrics-token-0123456789";

interface WindowResult {
  kind: "move" | "storm";
  ms: number;
  latencies: number[];
  failures: number;
  loopP99: number;
  loopMax: number;
  cpu: string;
  /** Storm: ms from the move's answer to every alert written, to the first and to the last delivery received. */
  signalsMs?: number;
  firstDeliveryMs?: number;
  lastDeliveryMs?: number;
  delivered?: number;
}

/** Collateral that puts a 0.1 BTC long from 60,000 at a margin ratio halfway between warnRatio and 1 at 57,000. */
function collateral(): string {
  const btc = seedMarkets.find((m) => m.id === "BTC-PERP")!;
  const c = compileMarket({ id: btc.id, lotSize: btc.lotSize, tickSize: btc.tickSize, liquidationFeeRate: btc.liquidationFeeRate, tiers: btc.tiers, liquidity: btc.liquidity });
  const target = (DEFAULT_RISK_PARAMS.warnRatio + 1) / 2;
  const mm = maintenanceMargin(c, QTY * MOVED);
  return (mm / target - QTY * (MOVED - START)).toFixed(2);
}

const accountId = (i: number) => `storm-${String(i).padStart(5, "0")}`;

export default async function main(): Promise<SummaryRow[]> {
  console.log(machineLine());
  console.log(commitLine());
  console.log(`book: ${int(ACCOUNTS)} accounts, each ${QTY} BTC long from ${int(START)} with ${collateral()} USD: healthy at ${int(START)}, warning at ${int(MOVED)}`);
  const rx = await startWebhookReceiver([200]);
  let rows: SummaryRow[] = [];
  try {
    await withServer({ env: { LIQDESK_SIMULATOR: "off", LIQDESK_SIM_ACCOUNTS: "0", LIQDESK_EXECUTION: "off", LIQDESK_METRICS_TOKEN: METRICS_TOKEN, LIQDESK_STALE_AFTER_MS: "3600000" } }, async (server) => {
      const ingest = new IngestClient(server.url, runScript(server, "token", ["create", "bench-storm"]).trim());
      await loadBook(server, ingest);
      await onlyTheWarningRule(server);
      const prisma = createPrismaClient(server.databaseUrl, { maxConnections: 4 });
      try {
        await measureWindow(server, ingest, prisma, rx, "move", 5_000); // warm-up: Next loads the routes
        const results: WindowResult[] = [];
        for (let round = 0; round < ROUNDS; round++) {
          results.push(await measureWindow(server, ingest, prisma, rx, "move", MOVE_WINDOW_MS));
          results.push(await measureWindow(server, ingest, prisma, rx, "storm", MOVE_WINDOW_MS));
        }
        rows = report(results);
      } finally {
        await prisma.$disconnect();
      }
    });
  } finally {
    await rx.close();
  }
  return rows;
}

async function loadBook(server: AppServer, ingest: IngestClient): Promise<void> {
  await ingest.mark("BTC-PERP", START);
  const amount = collateral();
  for (let i = 0; i < ACCOUNTS; i += 2000) {
    const ids = Array.from({ length: Math.min(2000, ACCOUNTS - i) }, (_, k) => accountId(i + k));
    await ingest.post("collateral", { entries: ids.map((id) => ({ accountId: id, amount, kind: "deposit", idempotencyKey: `storm-dep-${id}` })) });
    await ingest.post("positions", { source: "bench-storm", updates: ids.map((id) => ({ accountId: id, marketId: "BTC-PERP", qty: QTY, entryPrice: START, seq: 1 })) });
  }
  await waitFor("the book loaded and healthy", async () => {
    const s = (await deskSnapshot(server)).summary.book;
    return s.accountsWithPositions >= ACCOUNTS && s.byStatus.healthy >= ACCOUNTS;
  }, 120_000);
}

/** Account rules: all disabled but "status-warning", which raises and resolves at once (no minimum duration, no clear wait). */
async function onlyTheWarningRule(server: AppServer): Promise<void> {
  const desk = await signInDesk(server);
  const res = await desk.fetch("/api/v1/alert-rules");
  const rules = (await res.json()) as { id: string; kind: string; enabled: boolean }[];
  for (const r of rules) {
    if (r.id === "status-warning") await patchRule(server, r.id, { params: { minDurationMs: 0, clearAfterMs: 0 } });
    else if (r.enabled && ["status_enter", "ratio_above", "negative_collateral"].includes(r.kind)) await patchRule(server, r.id, { enabled: false });
  }
}

async function patchRule(server: AppServer, id: string, body: unknown): Promise<void> {
  const desk = await signInDesk(server);
  const res = await desk.fetch(`/api/v1/alert-rules/${id}`, { method: "PATCH", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  if (res.status !== 200) throw new Error(`PATCH rule ${id} answered ${res.status}: ${await res.text()}`);
}

async function openWarnings(prisma: PrismaClient): Promise<number> {
  const [row] = await prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM alerts WHERE rule_id = 'status-warning' AND state <> 'resolved' AND subject LIKE 'account:storm-%'`;
  return row!.n;
}

async function measureWindow(server: AppServer, ingest: IngestClient, prisma: PrismaClient, rx: WebhookReceiver, kind: WindowResult["kind"], windowMs: number): Promise<WindowResult> {
  const desk = await signInDesk(server);
  let webhookId: string | null = null;
  await patchRule(server, "status-warning", { enabled: kind === "storm" });
  if (kind === "storm") {
    const res = await desk.post("/api/v1/webhooks", { name: "storm receiver", url: rx.url, eventKinds: ["raised"] });
    if (res.status !== 201) throw new Error(`creating the webhook answered ${res.status}: ${await res.text()}`);
    webhookId = ((await res.json()) as { id: string }).id;
  }
  await eventLoopDelay(server, METRICS_TOKEN).catch(() => undefined); // resets the server's monitor
  const received0 = rx.requests.length;
  const cpu = new CpuWindow(server.pid);
  const t0 = performance.now();
  let stop = false;
  const probing = (async () => {
    const samples: { latencies: number[]; failures: number } = { latencies: [], failures: 0 };
    // Probe in slices until the scenario says stop (a storm lasts until its deliveries are in).
    while (!stop) {
      const part = await probeHealth(server.url, 2_000, PROBE_EVERY_MS);
      samples.latencies.push(...part.latencies);
      samples.failures += part.failures;
    }
    return samples;
  })();
  const out: Partial<WindowResult> = {};
  try {
    await sleep(1000);
    await ingest.mark("BTC-PERP", MOVED);
    const moved = performance.now();
    await waitFor("every account in warning", async () => (await deskSnapshot(server)).summary.book.byStatus.warning >= ACCOUNTS, 60_000, 200);
    if (kind === "storm") {
      await waitFor(`${int(ACCOUNTS)} alerts raised by the engine`, async () => (await openWarnings(prisma)) >= ACCOUNTS, STORM_TIMEOUT_MS, 100);
      out.signalsMs = performance.now() - moved;
      await waitFor(`${int(ACCOUNTS)} deliveries received`, async () => rx.requests.length - received0 >= ACCOUNTS, STORM_TIMEOUT_MS, 100);
      const mine = rx.requests.slice(received0);
      out.firstDeliveryMs = mine[0]!.at - moved;
      out.lastDeliveryMs = mine[mine.length - 1]!.at - moved;
      out.delivered = mine.length;
    }
    const remaining = windowMs - (performance.now() - t0);
    if (remaining > 0) await sleep(remaining);
  } finally {
    stop = true;
  }
  const { latencies, failures } = await probing;
  const duration = performance.now() - t0;
  const use = cpuLine(cpu.end());
  const loop = await eventLoopDelay(server, METRICS_TOKEN).catch(() => ({ p99: NaN, max: NaN }));
  // Back to the start: the webhook gone first (the clears would be deliveries), then the price restored (the engine resolves the alerts).
  if (webhookId) {
    const res = await desk.fetch(`/api/v1/webhooks/${webhookId}`, { method: "DELETE" });
    if (res.status !== 204) throw new Error(`deleting the webhook answered ${res.status}`);
  }
  await ingest.mark("BTC-PERP", START);
  await waitFor("every account healthy again", async () => (await deskSnapshot(server)).summary.book.byStatus.healthy >= ACCOUNTS, 60_000, 200);
  await waitFor("every alert resolved", async () => (await openWarnings(prisma)) === 0, STORM_TIMEOUT_MS, 200);
  return { kind, ms: duration, latencies, failures, loopP99: loop.p99, loopMax: loop.max, cpu: use, ...out };
}

function report(results: WindowResult[]): SummaryRow[] {
  console.log(`\nwindows ≥ ${MOVE_WINDOW_MS / 1000} s (a storm lasts until its ${int(ACCOUNTS)} deliveries are in); GET /api/health every ${PROBE_EVERY_MS} ms (one at a time)`);
  console.log("| window | length s | health requests | failed | p50 ms | p99 ms | max ms | server event-loop delay p99 / max, ms | every alert written, s after the move | first / last delivery, s after the move | deliveries/s |");
  console.log("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
  for (const [i, r] of results.entries()) {
    const s = summarize(r.latencies);
    const storm = r.kind === "storm";
    const rate = storm && r.delivered ? r.delivered / ((r.lastDeliveryMs! - r.firstDeliveryMs!) / 1000) : NaN;
    console.log(`| ${i + 1}. ${r.kind} | ${(r.ms / 1000).toFixed(1)} | ${int(s.n)} | ${r.failures} | ${ms(s.p50, 2)} | ${ms(s.p99, 2)} | ${ms(s.max, 2)} | ` +
      `${ms(r.loopP99)} / ${ms(r.loopMax)} | ${storm ? ms(r.signalsMs! / 1000, 2) : "—"} | ` +
      `${storm ? `${ms(r.firstDeliveryMs! / 1000, 2)} / ${ms(r.lastDeliveryMs! / 1000, 2)}` : "—"} | ${storm ? int(rate) : "—"} |`);
  }
  for (const [i, r] of results.entries()) console.log(`  ${i + 1}. ${r.kind}: ${r.cpu}`);
  const all = (kind: WindowResult["kind"]) => summarize(results.filter((r) => r.kind === kind).flatMap((r) => r.latencies));
  const move = all("move");
  const storm = all("storm");
  console.log(`\nall windows: move p50 ${ms(move.p50, 2)} / p99 ${ms(move.p99, 2)} / max ${ms(move.max, 2)} ms; ` +
    `storm p50 ${ms(storm.p50, 2)} / p99 ${ms(storm.p99, 2)} / max ${ms(storm.max, 2)} ms; p99 storm ÷ move ${(storm.p99 / move.p99).toFixed(2)}x`);
  console.log(`goal: p99 < ${GOAL_MS} ms while ${int(ACCOUNTS)} alerts' webhooks are delivered: ${storm.p99 < GOAL_MS ? "met" : "NOT met"} (${ms(storm.p99, 2)} ms)`);
  const last = results.filter((r) => r.kind === "storm").map((r) => r.lastDeliveryMs! / 1000);
  return [{
    benchmark: "alert-storm",
    measure: `GET /api/health while ${int(ACCOUNTS)} accounts' warning alerts are raised and their webhooks delivered after one move, p99`,
    value: storm.p99, unit: "ms", baseline: { measure: "the same move without alerts or webhooks, p99", value: move.p99 }, ratio: storm.p99 / move.p99,
    goal: `< ${GOAL_MS} ms`, met: storm.p99 < GOAL_MS,
  }, {
    benchmark: "alert-storm", measure: `${int(ACCOUNTS)} webhook deliveries received, seconds after the move (slowest storm window)`,
    value: Math.max(...last), unit: "s",
  }];
}
