import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { io, type Socket } from "socket.io-client";
import type { MarketsDelta } from "@/lib/contracts/socket-events";
import type { DeskDelta } from "@/lib/contracts/desk";
import { removeDataDir, type AppServer } from "../support/app-server";
import { createDeployment, createIngestToken, health, missingClusterServices, startInstance, waitForRole, type Deployment } from "../support/cluster";
import { IngestClient } from "../support/ingest-client";
import { DEMO_DESK, signIn } from "../support/sign-in";

const missing = await missingClusterServices();
if (missing) console.warn(`cluster-fanout.test.ts: skipped, ${missing}`);

describe.skipIf(missing !== null)(`two instances and Redis${missing ? ` (skipped: ${missing})` : ""}`, () => {
  let deployment: Deployment;
  let a: AppServer;
  let b: AppServer;
  let socket: Socket | null = null;

  beforeAll(async () => {
    deployment = await createDeployment("fanout");
    a = await startInstance(deployment);
    await waitForRole(a, "leader");
    b = await startInstance(deployment);
  });
  afterAll(async () => {
    socket?.close();
    const codes = [await b?.stop(), await a?.stop()];
    for (const s of [a, b]) if (s) removeDataDir(s.dataDir);
    await deployment?.drop();
    expect(codes).toEqual([0, 0]);
  });

  it("a desk socket on B receives the markets and desk deltas of prices posted to A, and to B (forwarded)", async () => {
    expect(await waitForRole(b, "standby")).toBeLessThan(1000);
    expect(await health(b)).toMatchObject({ db: "ok", role: "standby", leader: a.url }); // LIQDESK_INTERNAL_URL's default: 127.0.0.1:PORT
    expect(await health(a)).toMatchObject({ db: "ok", role: "leader", leader: a.url });
    const token = createIngestToken(deployment, "fanout");
    const viaA = new IngestClient(a.url, token);
    const viaB = new IngestClient(b.url, token);
    // An account with a position, so that a move of BTC-PERP changes the desk's summary.
    await viaA.mark("BTC-PERP", 60_000);
    await viaA.post("collateral", { entries: [{ accountId: "fan-1", amount: "5000", kind: "deposit", idempotencyKey: "fan-1-dep" }] });
    await viaA.post("positions", { source: "venue", updates: [{ accountId: "fan-1", marketId: "BTC-PERP", qty: 1, entryPrice: 60_000, seq: 1 }] });

    // Signed in through B (forwarded: the leader answers); the socket is B's, authorized by B.
    const { cookie } = await signIn(b.url, DEMO_DESK.email, DEMO_DESK.password, deployment.publicUrl);
    const marks: MarketsDelta["updates"] = [];
    const deskDeltas: DeskDelta[] = [];
    const s = io(b.url, { transports: ["websocket"], reconnection: false, forceNew: true, extraHeaders: { cookie } });
    socket = s;
    s.on("markets:delta", (delta: MarketsDelta) => marks.push(...delta.updates));
    s.on("desk:delta", (delta: DeskDelta) => deskDeltas.push(delta));
    const snapshots = Promise.all([
      new Promise((resolve) => s.once("markets:snapshot", resolve)),
      new Promise((resolve) => s.once("desk:snapshot", resolve)),
    ]);
    await new Promise<void>((resolve, reject) => {
      s.once("connect", () => resolve());
      s.once("connect_error", reject);
    });
    // The snapshots come from the leader's state.
    const [markets, desk] = (await snapshots) as [{ markets: { id: string; mark: number | null }[] }, { summary: { book: { accounts: number } } }];
    expect(markets.markets.find((m) => m.id === "BTC-PERP")?.mark).toBe(60_000);
    // The account posted just before: in the snapshot, or in a delta within the summary's pace (at most every 500 ms).
    await expect.poll(() => [desk.summary, ...deskDeltas.map((d) => d.summary)].some((summary) => summary && summary.book.accounts >= 1),
      { timeout: 5000, interval: 50 }).toBe(true);

    for (const [client, price] of [[viaA, 61_111], [viaB, 62_222]] as const) {
      const deskBefore = deskDeltas.length;
      await client.mark("BTC-PERP", price);
      await expect.poll(() => marks.some((u) => u.marketId === "BTC-PERP" && u.mark === price), { timeout: 5000, interval: 50 }).toBe(true);
      // The desk delta the move causes: a summary (the account's equity moved with the price).
      await expect.poll(() => deskDeltas.slice(deskBefore).some((d) => d.summary !== undefined), { timeout: 5000, interval: 50 }).toBe(true);
    }
  });
});
