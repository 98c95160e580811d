import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyDeskDelta } from "@/lib/client/apply-desk-delta";
import { deskStateOf, type DeskState } from "@/lib/client/desk-state";
import { applyQueueChanges } from "@/lib/contracts/apply-queue-changes";
import { DESK_HEARTBEAT_MS, type DeskDelta } from "@/lib/contracts/desk";
import { DEFAULT_RISK_PARAMS } from "@/lib/risk";
import type { Runtime } from "@/lib/server/runtime";
import { setServices } from "@/lib/server/services/services-registry";
import { createTestDatabase, type TestDatabase } from "../support/test-database";
import { deskStreamOf, engineOf, engineSettled, setMark, startTestRuntime } from "../support/test-runtime";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A state with its queue's cool-downs measured at `serverTime` (as a snapshot gives them). */
function asOfServerTime(state: DeskState): DeskState {
  const queue = applyQueueChanges(state.queue, { total: state.queue.total, upserts: [], removed: [] }, state.serverTime - state.queueTs)!;
  return { ...state, queue, queueTs: state.serverTime };
}

describe("the desk stream on a live runtime", () => {
  let db: TestDatabase;
  let runtime: Runtime;
  const deltas: DeskDelta[] = [];
  let initial: DeskState;

  beforeAll(async () => {
    db = await createTestDatabase();
    runtime = await startTestRuntime(db, { LIQDESK_STALE_AFTER_MS: "600000" }, "100000");
    await setMark(runtime, "BTC-PERP", 60000);
    await setMark(runtime, "ETH-PERP", 3000);
    const updates = [];
    const entries = [];
    for (let i = 0; i < 60; i++) {
      updates.push({ accountId: `w${i}`, marketId: i % 2 ? "BTC-PERP" : "ETH-PERP", qty: i % 2 ? 2 : 40, entryPrice: i % 2 ? 60500 : 3020, seq: 1 });
      entries.push({ accountId: `w${i}`, amount: String(500 + i * 40), kind: "deposit" as const, idempotencyKey: `dep-w${i}` });
    }
    await runtime.services.ingest.collateral({ entries });
    await runtime.services.ingest.positions({ source: "venue", updates });
    await engineSettled(runtime);
    await deskStreamOf(runtime).start((d) => deltas.push(d));
    initial = deskStateOf(runtime.services.desk.snapshot());
    setServices(runtime.services);
  });
  afterAll(async () => {
    setServices(undefined);
    await runtime?.stop();
    await db?.drop();
  });

  it("numbered deltas without a gap, applied to the first snapshot, add up to the snapshot the feed serves after them", async () => {
    expect(initial.queue.items.length).toBeGreaterThan(0);
    const moves = [59800, 59500, 59900, 59300, 60100, 59000];
    for (const [i, price] of moves.entries()) {
      await setMark(runtime, i % 2 ? "BTC-PERP" : "ETH-PERP", i % 2 ? price : price / 20);
      if (i === 2) await engineOf(runtime).executeDueSteps(Date.now());
      if (i === 3) await runtime.services.ingest.collateral({ entries: [{ accountId: "w1", amount: "50000", kind: "deposit", idempotencyKey: "heal-w1" }] });
      await sleep(300);
    }
    await sleep(1500);
    expect(deltas.length).toBeGreaterThan(5);
    expect(deltas.map((d) => d.seq)).toEqual(deltas.map((_, i) => initial.seq + 1 + i));
    expect(deltas.some((d) => d.queue)).toBe(true);
    expect(deltas.some((d) => d.events?.length)).toBe(true);
    let state = initial;
    for (const d of deltas) {
      const next = applyDeskDelta(state, d);
      expect(next).not.toBeNull();
      state = next!;
    }
    const served = runtime.services.desk.snapshot();
    expect(served.seq).toBe(state.seq);
    expect(asOfServerTime(state)).toEqual(deskStateOf(served));
    // And it is the engine's queue, not just consistent with itself.
    const engineQueue = await engineOf(runtime).client.queue(served.serverTime, 0, served.queue.limit);
    expect(served.queue.items.map((e) => e.accountId)).toEqual(engineQueue.items.map((e) => e.accountId));
    expect(served.queue.items.some((e) => e.accountId === "w1")).toBe(false);
  });

  it("queue changes go out at the flush after the tick that made them (≤ 100 ms pacing), not on a slower beat of their own", async () => {
    expect(runtime.services.desk.snapshot().queue.items.length).toBeGreaterThan(0);
    const lags: number[] = [];
    for (const [btc, eth] of [[58800, 2940], [58600, 2930], [58900, 2945], [58700, 2935]] as const) {
      const from = deltas.length;
      const sent = Date.now();
      await setMark(runtime, "BTC-PERP", btc);
      await setMark(runtime, "ETH-PERP", eth);
      await expect.poll(() => deltas.slice(from).some((d) => d.queue), { timeout: 2000, interval: 5 }).toBe(true);
      lags.push(deltas.slice(from).find((d) => d.queue)!.serverTime - sent);
      await sleep(30);
    }
    // Each tick's rows went out within a flush or two, even right after the last queue push.
    for (const lag of lags) expect(lag).toBeLessThan(250);
    const times = deltas.map((d) => d.serverTime);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(99);
    await sleep(1200); // the histogram these ticks changed goes out within a second: quiet afterwards
  });

  it("a summary or histogram held back by its pacing is sent as current only as of its last computation, never as of the delta's time", () => {
    // The ticks above came faster than the summary's 500 ms and the histogram's 1 s: some deltas held them back.
    let summaryTs = initial.summaryTs;
    let histogramTs = initial.histogramTs;
    let heldBack = 0;
    for (const d of deltas) {
      if (d.summaryTs !== undefined || d.histogramTs !== undefined) heldBack++;
      if (d.summary) expect(d.summaryTs).toBeUndefined();
      if (d.histogram) expect(d.histogramTs).toBeUndefined();
      // Held back: the time the part the client holds was last current (the last delta that sent it or found it unchanged).
      if (d.summaryTs !== undefined) expect(d.summaryTs).toBe(summaryTs);
      if (d.histogramTs !== undefined) expect(d.histogramTs).toBe(histogramTs);
      summaryTs = d.summaryTs ?? d.serverTime;
      histogramTs = d.histogramTs ?? d.serverTime;
    }
    expect(heldBack).toBeGreaterThan(0);
  });

  it("with nothing changing, an empty delta (a heartbeat) goes out at least every 2 s", async () => {
    const from = deltas.length;
    await sleep(3 * DESK_HEARTBEAT_MS + 500);
    const quiet = deltas.slice(from);
    expect(quiet.length).toBeGreaterThanOrEqual(2);
    for (const d of quiet) expect(Object.keys(d).sort()).toEqual(["seq", "serverTime"]);
    const times = [deltas[from - 1]!.serverTime, ...quiet.map((d) => d.serverTime)];
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeLessThanOrEqual(2000);
  });

  it("the snapshot and an account's detail carry the risk parameters the figures use", async () => {
    const params = { ...DEFAULT_RISK_PARAMS, staleAfterMs: 600000 };
    expect(runtime.services.desk.snapshot().riskParams).toEqual(params);
    expect((await runtime.services.accounts.detail("w0")).riskParams).toEqual(params);
  });

  it("accounts by id prefix are filtered in the engine, then paged", async () => {
    const page = await runtime.services.accounts.list({ q: "w1", limit: "5" });
    const all = await engineOf(runtime).client.atRisk({ limit: 1000 });
    const want = all.items.filter((a) => a.accountId.startsWith("w1"));
    expect(page.total).toBe(want.length);
    // The list adds each account's owners (none bound here).
    expect(page.items).toEqual(want.slice(0, 5).map((r) => ({ ...r, owners: [] })));
  });
});
