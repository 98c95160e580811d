/**
 * A what-if thread of `WhatIfPool`: decodes a request body (strict UTF-8), parses it, checks it (the same contract as the
 * CLI, lib/contracts/risk-scenario.ts), evaluates it (spec §10) and serialises the answer, one job at a time, at a low CPU priority. Started by the pool; never imported elsewhere.
 */
import { parentPort } from "node:worker_threads";
import { safeParseRiskScenario } from "@/lib/contracts/risk-scenario";
import { parseJsonBody } from "@/lib/contracts/json-body";
import { evaluateScenario } from "@/lib/risk";
import type { WhatIfJob, WhatIfReply } from "./what-if-pool";
import { lowerThreadPriority } from "./thread-priority";

/** As the analytics thread: a what-if never takes the CPU from a request or a revaluation. */
const WHAT_IF_NICE = 15;

const port = parentPort;
if (!port) throw new Error("what-if-worker.ts must run in a worker thread (see WhatIfPool)");
lowerThreadPriority(WHAT_IF_NICE);
const encoder = new TextEncoder();

function evaluate(job: WhatIfJob): WhatIfReply {
  const body = parseJsonBody(job.bytes);
  if (!body.ok) return { id: job.id, ok: false, fields: [body.field] };
  const parsed = safeParseRiskScenario(body.value);
  if (!parsed.success) return { id: job.id, ok: false, fields: parsed.fields };
  return { id: job.id, ok: true, body: encoder.encode(JSON.stringify(evaluateScenario(parsed.data))) };
}

port.on("message", (job: WhatIfJob) => {
  let reply: WhatIfReply;
  try {
    reply = evaluate(job);
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    reply = { id: job.id, ok: false, error: { name: e.name, message: e.message } };
  }
  port.postMessage(reply, reply.ok ? [reply.body.buffer] : []);
});
// Loaded: the pool sends jobs, and runs their time limit, from now on.
port.postMessage({ ready: true });
