/**
 * A what-if thread of `WhatIfPool`: decodes a request body (strict UTF-8), parses it, checks it (the same contract as the
 * CLI, lib/contracts/risk-scenario.ts), evaluates it (spec §10) and serialises the answer, one job at a time, at a low CPU priority. Started by the pool; never imported elsewhere.
 */
import { parentPort } from "node:worker_threads";
import { safeParseRiskScenario } from "@/lib/contracts/risk-scenario";
import { nestingProblem } from "@/lib/contracts/json-depth";
import { findBadText } from "@/lib/contracts/text";
import { evaluateScenario } from "@/lib/risk";
import type { WhatIfJob, WhatIfReply } from "./what-if-pool";
import { lowerThreadPriority } from "./thread-priority";

/** As the analytics thread: a what-if never takes the CPU from a request or a revaluation. */
const WHAT_IF_NICE = 15;

const port = parentPort;
if (!port) throw new Error("what-if-worker.ts must run in a worker thread (see WhatIfPool)");
lowerThreadPriority(WHAT_IF_NICE);
const encoder = new TextEncoder();
const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

function evaluate(job: WhatIfJob): WhatIfReply {
  let text: string;
  try {
    text = strictUtf8.decode(job.bytes);
  } catch {
    return { id: job.id, ok: false, fields: [{ path: "(body)", message: "body is not valid UTF-8" }] };
  }
  const tooDeep = nestingProblem(text);
  if (tooDeep) return { id: job.id, ok: false, fields: [tooDeep] };
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch {
    return { id: job.id, ok: false, fields: [{ path: "(body)", message: "body is not valid JSON" }] };
  }
  const bad = findBadText(input);
  if (bad) return { id: job.id, ok: false, fields: [bad] };
  const parsed = safeParseRiskScenario(input);
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
