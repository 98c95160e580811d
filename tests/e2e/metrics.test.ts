import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { io } from "socket.io-client";
import { IngestClient } from "../support/ingest-client";
import { runScript, startAppServer, stopAndRemove, type AppServer } from "../support/app-server";
import { signInDesk } from "../support/sign-in";

/**
 * `GET /api/metrics` (issue 7): the scrape token is required, every metric the issue names is
 * exposed, and what the runtime counts (server.ts's module graph) is what the route serves (the
 * route's own module graph).
 */
const METRICS_TOKEN = "metrics-test-scrape-token-0123456789";

const NAMED = [
  "liqdesk_ingest_items_total",
  "liqdesk_engine_revaluation_seconds",
  "liqdesk_liquidation_queue_size",
  "liqdesk_tick_to_push_seconds",
  "liqdesk_socket_clients",
  "liqdesk_socket_send_buffer_bytes",
  "liqdesk_ingest_commit_seconds",
  "liqdesk_margin_snapshot_backlog",
  "liqdesk_margin_snapshot_age_seconds",
  "liqdesk_nodejs_eventloop_lag_seconds",
  "liqdesk_nodejs_eventloop_lag_p99_seconds",
];

let server: AppServer;
let ingest: IngestClient;

async function scrape(authorization?: string): Promise<Response> {
  return fetch(`${server.url}/api/metrics`, { headers: authorization ? { authorization } : {} });
}

async function metrics(): Promise<string> {
  const res = await scrape(`Bearer ${METRICS_TOKEN}`);
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toContain("text/plain");
  return res.text();
}

/** The value of one sample, e.g. `sample(text, "liqdesk_ingest_items_total", { kind: "prices" })`; undefined when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split("\n")) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = match[2] ? match[2].split(",") : [];
    if (wanted.every((w) => have.includes(w)) && have.length === wanted.length) return Number(match[3]);
  }
  return undefined;
}

describe("GET /api/metrics", () => {
  beforeAll(async () => {
    server = await startAppServer({ env: {
      LIQDESK_SIMULATOR: "off", LIQDESK_EXECUTION: "off", LIQDESK_STALE_AFTER_MS: "600000", LIQDESK_METRICS_TOKEN: METRICS_TOKEN,
    } });
    ingest = new IngestClient(server.url, runScript(server, "token", ["create", "metrics"]).trim());
  });

  afterAll(async () => {
    await stopAndRemove(server);
  });

  it("refuses a scrape without the token or with a wrong one", async () => {
    expect((await scrape()).status).toBe(401);
    expect((await scrape("Bearer not-the-scrape-token")).status).toBe(401);
  });

  it("exposes every metric the issue names", async () => {
    const text = await metrics();
    for (const name of NAMED) expect(text, name).toMatch(new RegExp(`^# TYPE ${name} (counter|gauge|histogram)$`, "m"));
    for (const kind of ["prices", "positions", "collateral", "funding", "topup"]) {
      expect(sample(text, "liqdesk_ingest_items_total", { kind }), kind).toBeGreaterThanOrEqual(0);
    }
    for (const mode of ["partial", "full", "none"]) expect(sample(text, "liqdesk_liquidation_queue_size", { mode }), mode).toBeGreaterThanOrEqual(0);
    for (const room of ["desk", "markets", "account"]) expect(sample(text, "liqdesk_socket_clients", { room }), room).toBe(0);
    for (const of of ["all", "largest"]) expect(sample(text, "liqdesk_socket_send_buffer_bytes", { of }), of).toBe(0);
  });

  it("counts the socket clients of each room kind while they are connected", async () => {
    const { cookie } = await signInDesk(server);
    const socket = io(server.url, { transports: ["websocket"], reconnection: false, forceNew: true, extraHeaders: { cookie } });
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once("connect", () => resolve());
        socket.once("connect_error", reject);
      });
      const rooms = await socket.emitWithAck("session:rooms") as string[];
      expect(rooms).toEqual(expect.arrayContaining(["desk", "markets"]));
      const text = await metrics();
      expect(sample(text, "liqdesk_socket_clients", { room: "desk" })).toBe(1);
      expect(sample(text, "liqdesk_socket_clients", { room: "markets" })).toBe(1);
      expect(sample(text, "liqdesk_socket_clients", { room: "account" })).toBe(0);
    } finally {
      socket.disconnect();
    }
  });

  it("counts an ingest of N price ticks as N, and times its commit, the revaluation and the push", async () => {
    const before = await metrics();
    const prices = (t: string) => sample(t, "liqdesk_ingest_items_total", { kind: "prices" }) ?? 0;
    const commits = (t: string) => sample(t, "liqdesk_ingest_commit_seconds_count", { kind: "prices" }) ?? 0;
    const revaluations = (t: string) => sample(t, "liqdesk_engine_revaluation_seconds_count") ?? 0;
    const pushes = (t: string) => sample(t, "liqdesk_tick_to_push_seconds_count") ?? 0;

    const ts = Date.now();
    const ticks = [
      { marketId: "BTC-PERP", price: 61_000, ts }, { marketId: "BTC-PERP", price: 61_010, ts: ts + 1 },
      { marketId: "ETH-PERP", price: 3_100, ts }, { marketId: "ETH-PERP", price: 3_101, ts: ts + 1 },
      { marketId: "ETH-PERP", price: 3_102, ts: ts + 2 },
    ];
    await ingest.post("prices", { source: "metrics-test", ticks });

    let after = await metrics();
    expect(prices(after) - prices(before)).toBe(ticks.length);
    expect(commits(after) - commits(before)).toBe(1);
    // The revaluation and the push follow the acknowledgement: wait for them (one push per 100 ms at most).
    const deadline = Date.now() + 10_000;
    while ((revaluations(after) === revaluations(before) || pushes(after) === pushes(before)) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      after = await metrics();
    }
    expect(revaluations(after)).toBeGreaterThan(revaluations(before));
    // One observation per market whose mark the batch moved.
    expect(pushes(after) - pushes(before)).toBe(2);
  });
});
