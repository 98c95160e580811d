/**
 * Takeover (docs/SCALING.md, "When one engine is no longer enough"): how long a standby takes to
 * run the engine after the leader is killed (SIGKILL), as the book grows. The baseline is the same
 * measurement, in the same run, with an empty book (0 accounts): what leadership itself costs
 * (lock retry, runtime start, desk feed start) apart from rebuilding the book.
 *
 * Needs the PostgreSQL and Redis services (tests/support/cluster.ts). For each book size: a new
 * database; instance 1 starts with the simulator on and LIQDESK_SIM_ACCOUNTS=<size> (the demo
 * population, ingested through the ingest path), becomes the leader; instance 2 starts as a
 * standby. Then ROUNDS times: SIGKILL the leader, time until the standby's /api/health says
 * `leader` (polled every 50 ms), read from its log how long its rebuild took ("took over the
 * engine", ms: from holding the lock to serving), and start a new standby.
 *
 * `LIQDESK_BENCH_TAKEOVER_SIZES=0,20000` chooses the sizes (the first is the baseline; default
 * 0, 100000, 300000; quick mode 0, 10000 with two rounds). Without the services it says which is
 * missing and returns no rows.
 */
import pg from "pg";
import { removeDataDir, startAppServer, type AppServer } from "../tests/support/app-server";
import { createDeployment, missingClusterServices, waitForRole, type Deployment } from "../tests/support/cluster";
import { commitLine, int, machineLine, ms, summarize, waitFor, waitForSimulator } from "./lib/live-server";
import type { SummaryRow } from "./lib/bench-summary";
import { quickOr } from "./lib/quick-mode";

const ROUNDS = quickOr(3, 2);
const SIZES = (process.env.LIQDESK_BENCH_TAKEOVER_SIZES || quickOr("0,100000,300000", "0,10000")).split(",").map(Number);
/** The bound: a standby runs the engine within 10 s of the leader's death. */
const GOAL_MS = 10_000;

interface SizeResult {
  size: number;
  accounts: number;
  positions: number;
  takeoverMs: number[];
  rebuildMs: number[];
}

function start(deployment: Deployment, size: number): Promise<AppServer> {
  return startAppServer({ env: { ...deployment.env, LIQDESK_SIMULATOR: "on", LIQDESK_SIM_ACCOUNTS: String(size), LOG_LEVEL: "info" } });
}

/**
 * The rebuild time the instance logged when it took over ("took over the engine", ms). The line is
 * written just after /api/health starts saying `leader`: wait for it.
 */
async function loggedRebuildMs(server: AppServer): Promise<number> {
  const found = await waitFor("the takeover log line", async () => /"ms":(\d+),"msg":"took over the engine/.exec(server.output()), 10_000, 50);
  return Number(found[1]);
}

async function measure(size: number): Promise<SizeResult> {
  const deployment = await createDeployment(`bench_takeover_${size}`);
  const servers: AppServer[] = [];
  try {
    let leader = await start(deployment, size);
    servers.push(leader);
    await waitForRole(leader, "leader", 120_000);
    await waitForSimulator(leader, 900_000);
    const client = new pg.Client({ connectionString: deployment.databaseUrl });
    await client.connect();
    const { rows: [counts] } = await client.query<{ accounts: string; positions: string }>(
      "SELECT (SELECT count(*) FROM accounts) AS accounts, (SELECT count(*) FROM positions WHERE qty <> 0) AS positions");
    await client.end();
    const result: SizeResult = { size, accounts: Number(counts!.accounts), positions: Number(counts!.positions), takeoverMs: [], rebuildMs: [] };
    let standby = await start(deployment, size);
    servers.push(standby);
    for (let round = 0; round < ROUNDS; round++) {
      await waitForRole(standby, "standby", 60_000);
      const killedAt = performance.now();
      await leader.kill();
      await waitForRole(standby, "leader", 300_000);
      result.takeoverMs.push(performance.now() - killedAt);
      result.rebuildMs.push(await loggedRebuildMs(standby));
      console.log(`  ${int(size)} accounts, round ${round + 1}: SIGKILL → standby leads in ${ms(result.takeoverMs.at(-1)!, 0)} ms (rebuild ${ms(result.rebuildMs.at(-1)!, 0)} ms)`);
      leader = standby;
      standby = await start(deployment, size);
      servers.push(standby);
    }
    return result;
  } finally {
    for (const s of servers) {
      await s.stop().catch(() => undefined);
      removeDataDir(s.dataDir);
    }
    await deployment.drop();
  }
}

export default async function main(): Promise<SummaryRow[]> {
  console.log(machineLine());
  console.log(commitLine());
  const missing = await missingClusterServices();
  if (missing) {
    console.log(`skipped: ${missing}`);
    return [];
  }
  const results: SizeResult[] = [];
  for (const size of SIZES) results.push(await measure(size));
  const base = summarize(results[0]!.takeoverMs).p50;
  console.log("");
  console.log("| accounts | positions | SIGKILL → standby leads, p50 ms | max ms | rebuild (lock → serving) p50 ms | p50 / empty book |");
  console.log("|---:|---:|---:|---:|---:|---:|");
  for (const r of results) {
    const t = summarize(r.takeoverMs);
    const b = summarize(r.rebuildMs);
    console.log(`| ${int(r.accounts)} | ${int(r.positions)} | ${ms(t.p50, 0)} | ${ms(t.max, 0)} | ${ms(b.p50, 0)} | ${(t.p50 / base).toFixed(2)}x |`);
  }
  return results.slice(1).map((r) => {
    const worst = summarize(r.takeoverMs).max;
    return {
      benchmark: "takeover", measure: `SIGKILL of the leader → standby runs the engine, ${int(r.accounts)} accounts, worst of ${ROUNDS}`,
      value: worst, unit: "ms", baseline: { measure: "the same with an empty book, p50", value: base }, ratio: worst / base,
      goal: "< 10 s", met: worst < GOAL_MS,
    };
  });
}
