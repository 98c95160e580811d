/**
 * The engine's analytics thread (see `AnalyticsThread`): runs desk analytics over book snapshots,
 * one job at a time. Started by the engine worker; never imported elsewhere.
 */
import { parentPort } from "node:worker_threads";
import { RiskInputError } from "@/lib/risk";
import type { AnalyticsJob, AnalyticsReply } from "./analytics-thread";
import { fundRunway, liquidationMapOfSnapshot, stressOfSnapshot } from "../views/book-analytics";
import { lowerThreadPriority } from "./thread-priority";

/** Below the engine worker's priority too: seconds of analytics never delay a revaluation or a request. */
const ANALYTICS_NICE = 15;

const port = parentPort;
if (!port) throw new Error("analytics-worker.ts must run in a worker thread (see AnalyticsThread)");
lowerThreadPriority(ANALYTICS_NICE);

function run(job: AnalyticsJob): unknown {
  switch (job.type) {
    case "fundRunway":
      return fundRunway(job.input.snapshot, job.input.insuranceFund, job.input.hint);
    case "stress":
      return stressOfSnapshot(job.input.snapshot, job.input.shocks, job.input.insuranceFund, job.input.maxRounds, job.input.depthPer1Pct);
    case "liquidationMap":
      return liquidationMapOfSnapshot(job.input.snapshot, job.input.marketId);
  }
}

port.on("message", (job: AnalyticsJob) => {
  let reply: AnalyticsReply;
  try {
    reply = { id: job.id, ok: true, result: run(job) };
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    reply = { id: job.id, ok: false, error: { name: e.name, message: e.message, issues: e instanceof RiskInputError ? e.issues : undefined } };
  }
  port.postMessage(reply);
});
