/**
 * The benchmarks' side of the ingest API: pre-serialized batches posted with the bearer token,
 * closed loop (each lane posts its next batch once the previous one is answered), every answer
 * checked (200 and the count the server says it accepted), each request's latency recorded.
 */
import type { AccountDetail } from "@/lib/contracts/desk";
import { sleep } from "./live-server";
import type { Session } from "../../tests/support/sign-in";

export type IngestKind = "prices" | "positions" | "collateral";

/** One request: its body (or what makes it at send time, e.g. with the time in it) and how many items it carries. */
export interface Batch {
  body: string | (() => string);
  items: number;
}

export interface LaneRun {
  /** performance.now() at the first send and at the last answer. */
  startedAt: number;
  endedAt: number;
  requests: number;
  items: number;
  /** What the server answered as applied (`accepted`), summed. */
  accepted: number;
  /** Items a retried batch found already applied (`ignored` / `replayed` of the retry). */
  alreadyApplied: number;
  /** Batches sent again after the connection failed before an answer. */
  retries: number;
  /** Per batch, from its first attempt to its answer. */
  latenciesMs: number[];
}

export interface BatchAnswer {
  accepted: number;
  /** Items the server already had: prices and positions `ignored`, collateral `replayed`. */
  alreadyApplied: number;
  retries: number;
}

/** Errors of a connection that failed before any answer (a keep-alive socket the server closed as it was reused). */
const RETRYABLE = new Set(["ECONNRESET", "EPIPE", "UND_ERR_SOCKET"]);

/**
 * Posts one batch; throws with the server's answer unless it is a 200. A connection that fails
 * before an answer is retried (up to 3 times): every ingest batch may be sent twice (a price not
 * newer, a position seq already applied and a collateral key already in the ledger are no-ops),
 * which is how a venue's feed must treat a lost answer too.
 */
export async function postBatch(url: string, token: string, kind: IngestKind, body: string): Promise<BatchAnswer> {
  for (let attempt = 0; ; attempt++) {
    let res: Response;
    try {
      res = await fetch(`${url}/api/v1/ingest/${kind}`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body,
      });
    } catch (error) {
      const code = (error as { cause?: { code?: string } }).cause?.code;
      if (attempt < 3 && code && RETRYABLE.has(code)) continue;
      throw error;
    }
    const text = await res.text();
    if (res.status !== 200) throw new Error(`POST /api/v1/ingest/${kind} answered ${res.status}: ${text.slice(0, 500)}`);
    const answer = JSON.parse(text) as { accepted: number; ignored?: number; replayed?: number };
    return { accepted: answer.accepted, alreadyApplied: answer.ignored ?? answer.replayed ?? 0, retries: attempt };
  }
}

/**
 * Posts every lane's batches in order, the lanes side by side (one request in flight per lane):
 * a lane is one feed (a price source, a position feed), whose batches must arrive in order.
 */
export async function runLanes(url: string, token: string, kind: IngestKind, lanes: Batch[][]): Promise<LaneRun> {
  const latenciesMs: number[] = [];
  let accepted = 0;
  let alreadyApplied = 0;
  let retries = 0;
  let items = 0;
  const startedAt = performance.now();
  await Promise.all(lanes.map(async (lane) => {
    for (const batch of lane) {
      const body = typeof batch.body === "string" ? batch.body : batch.body();
      const t0 = performance.now();
      const answer = await postBatch(url, token, kind, body);
      latenciesMs.push(performance.now() - t0);
      accepted += answer.accepted;
      if (answer.retries > 0) alreadyApplied += answer.alreadyApplied;
      retries += answer.retries;
      items += batch.items;
    }
  }));
  return { startedAt, endedAt: performance.now(), requests: latenciesMs.length, items, accepted, alreadyApplied, retries, latenciesMs };
}

/** The engine's view of an account (GET /api/v1/accounts/:id, as a signed-in desk user), or null while it is unknown. */
export async function accountView(desk: Session, accountId: string): Promise<AccountDetail["view"] | null> {
  const res = await desk.fetch(`/api/v1/accounts/${encodeURIComponent(accountId)}`);
  if (res.status === 404) {
    await res.arrayBuffer();
    return null;
  }
  if (res.status !== 200) throw new Error(`GET /api/v1/accounts/${accountId} answered ${res.status}`);
  return ((await res.json()) as AccountDetail).view;
}

/**
 * Polls the engine's view of `accountId` until every market in `marks` is valued at that mark;
 * resolves with performance.now() of the answer that showed it.
 */
export async function waitForEngineMarks(desk: Session, accountId: string, marks: Map<string, number>, timeoutMs: number): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const view = await accountView(desk, accountId);
    const at = performance.now();
    const applied = view !== null && [...marks].every(([marketId, mark]) =>
      view.positions.some((p) => p.marketId === marketId && p.markPrice === mark));
    if (applied) return at;
    if (at > deadline) {
      const seen = view?.positions.map((p) => `${p.marketId} ${p.markPrice}`).join(", ") ?? "no account";
      throw new Error(`the engine did not reach the final marks within ${timeoutMs} ms (it shows ${seen})`);
    }
    await sleep(5);
  }
}
