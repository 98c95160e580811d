import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as postCollateral } from "@/app/api/v1/ingest/collateral/route";
import { POST as postFunding } from "@/app/api/v1/ingest/funding/route";
import { POST as postPositions } from "@/app/api/v1/ingest/positions/route";
import { POST as postPrices } from "@/app/api/v1/ingest/prices/route";
import { parseEnv } from "@/lib/server/env";
import { persistPriceTicks } from "@/lib/server/ingest/ingest-prices";
import { createIngestRecorder } from "@/lib/server/ingest/ingest-recorder";
import { ingestCollateral, ingestFunding, parsePositionBatch, persistPositionBatch, type IngestDeps } from "@/lib/server/ingest/ingest-service";

/** What POST /api/v1/ingest/positions does with a body (the runtime adds its queue and the engine). */
const ingestPositions = (deps: IngestDeps, body: unknown) => persistPositionBatch(deps, parsePositionBatch(body));
import { createIngestToken } from "@/lib/server/ingest/ingest-tokens";
import { createLogger } from "@/lib/server/logger";
import { Runtime } from "@/lib/server/runtime";
import { setServices } from "@/lib/server/services/services-registry";
import { seedDatabase } from "@/lib/server/seed";
import { freePort } from "../support/free-port";
import { createTestDatabase, type TestDatabase } from "../support/test-database";

const ROOT = path.resolve(import.meta.dirname, "../..");

/** Runs one of the CLIs as `npm run` would; resolves with its exit code and output. */
function runScript(script: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "--import", "./scripts/server-only-hook.mjs", `scripts/${script}.ts`, ...args], {
      cwd: ROOT, env: { ...process.env, LOG_LEVEL: "silent" }, stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += String(d)));
    child.stderr.on("data", (d) => (stderr += String(d)));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("recording and replay of the feed", () => {
  let source: TestDatabase;
  let target: TestDatabase;
  let runtime: Runtime;
  let server: Server;
  let url: string;
  let token: string;
  let dir: string;
  const t0 = Date.parse("2026-11-22T09:00:00.000Z");

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "liqdesk-replay-"));
    [source, target] = await Promise.all([createTestDatabase(), createTestDatabase()]);
    await Promise.all([seedDatabase(source.prisma), seedDatabase(target.prisma)]);
    // Execution off: replayed positions land before their collateral, and the simulated venue must
    // not liquidate them in between (this file tests the feed, not execution).
    runtime = await Runtime.create(parseEnv({ LOG_LEVEL: "silent", LIQDESK_EXECUTION: "off" }), createLogger("silent"), target.prisma);
    setServices(runtime.services);
    token = (await createIngestToken(target.prisma, "replay")).token;
    const routes: Record<string, (request: Request) => Promise<Response>> = {
      "/api/v1/ingest/prices": postPrices, "/api/v1/ingest/positions": postPositions,
      "/api/v1/ingest/collateral": postCollateral, "/api/v1/ingest/funding": postFunding,
    };
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", async () => {
        const handler = routes[req.url ?? ""];
        const response = handler
          ? await handler(new Request(`http://localhost${req.url}`, {
            method: req.method, headers: req.headers as Record<string, string>, body: Buffer.concat(chunks),
          }))
          : new Response("not found", { status: 404 });
        res.writeHead(response.status, { "content-type": "application/json" });
        res.end(Buffer.from(await response.arrayBuffer()));
      });
    });
    const port = await freePort();
    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${port}`;
  });
  afterAll(async () => {
    setServices(undefined);
    runtime?.stop();
    await new Promise((resolve) => server?.close(resolve));
    await Promise.all([source?.drop(), target?.drop()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it("records prices, funding and collateral from PostgreSQL and replays them into another desk", async () => {
    await persistPriceTicks(source.prisma, "feed-a", [
      { marketId: "BTC-PERP", price: 60000, ts: t0 + 100 },
      { marketId: "BTC-PERP", price: 59000, ts: t0 + 300 },
      { marketId: "BTC-PERP", price: 61000, ts: t0 + 500 },
      { marketId: "BTC-PERP", price: 60500, ts: t0 + 900 },
      { marketId: "ETH-PERP", price: 3000, ts: t0 + 1500 },
    ]);
    await persistPriceTicks(source.prisma, "feed-b", [{ marketId: "BTC-PERP", price: 60010, ts: t0 + 2500 }]);
    await ingestPositions({ prisma: source.prisma }, { source: "venue", updates: [{ accountId: "x", marketId: "BTC-PERP", qty: 1, entryPrice: 60000, seq: 1 }] });
    await ingestCollateral({ prisma: source.prisma }, { entries: [
      { accountId: "x", amount: "1000.5", kind: "deposit", idempotencyKey: "rec-dep-1", note: "wire" },
      { accountId: "y", amount: "20", kind: "deposit", idempotencyKey: "rec-dep-2" },
    ] });
    await ingestFunding({ prisma: source.prisma }, { marketId: "BTC-PERP", rate: "0.0001", markPrice: "60000", ts: t0 + 2000 });

    const file = path.join(dir, "window.ndjson");
    const from = new Date(t0).toISOString();
    const to = new Date(t0 + 3000).toISOString();
    // Collateral entries are stamped with the database clock (now): record a window that holds them too.
    const rec = await runScript("record", [file, "--url", source.url, "--from", from, "--to", to]);
    expect(rec.stderr).toContain("6 price ticks");
    expect(rec.code).toBe(0);
    const lines = readFileSync(file, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(lines[0].kind).toBe("meta");
    expect(lines.filter((l) => l.kind === "prices").flatMap((l) => l.body.ticks.map((t: { price: number }) => t.price)))
      .toEqual([60000, 59000, 61000, 60500, 3000, 60010]);
    expect(lines.filter((l) => l.kind === "funding").map((l) => l.body)).toEqual([{ marketId: "BTC-PERP", rate: "0.0001", markPrice: "60000", ts: t0 + 2000 }]);

    const recent = path.join(dir, "recent.ndjson");
    const rec2 = await runScript("record", [recent, "--url", source.url, "--since", "10m"]);
    expect(rec2.code).toBe(0);
    const entries = readFileSync(recent, "utf8").trim().split("\n").map((l) => JSON.parse(l)).filter((l) => l.kind === "collateral");
    expect(entries.flatMap((l) => l.body.entries)).toEqual([
      { accountId: "x", amount: "1000.5", kind: "deposit", idempotencyKey: "rec-dep-1", note: "wire" },
      { accountId: "y", amount: "20", kind: "deposit", idempotencyKey: "rec-dep-2" },
    ]);

    const started = Date.now();
    const play = await runScript("replay", [file, "--url", url, "--token", token, "--speed", "10"]);
    expect(play.stderr).toContain("refused batches 0");
    expect(play.code).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250); // 2.5 s of feed at 10×
    const ticks = await target.prisma.priceTick.aggregate({ _sum: { count: true } });
    expect(ticks._sum.count).toBe(6);
    const latest = await target.prisma.latestPrice.findMany({ orderBy: [{ marketId: "asc" }, { source: "asc" }] });
    expect(latest.map((l) => [l.marketId, l.source, l.price.toNumber()])).toEqual([
      ["BTC-PERP", "feed-a", 60500], ["BTC-PERP", "feed-b", 60010], ["ETH-PERP", "feed-a", 3000],
    ]);
    expect(latest.every((l) => l.ts.getTime() >= started)).toBe(true); // moved to the replay's clock
    expect(await target.prisma.fundingEvent.count()).toBe(1);

    const again = await runScript("replay", [recent, "--url", url, "--token", token, "--speed", "0"]);
    expect(again.code).toBe(0);
    const again2 = await runScript("replay", [recent, "--url", url, "--token", token, "--speed", "0"]);
    expect(again2.stderr).toMatch(/collateral\s+1 batches\s+2 items\s+accepted 0, replayed 2/);
    const x = await target.prisma.account.findUniqueOrThrow({ where: { id: "x" } });
    expect(x.collateral.toFixed()).toBe("1000.5");
  });

  it("a live recording holds every accepted batch, positions included, and replays them", async () => {
    const file = path.join(dir, "live.ndjson");
    const recorder = createIngestRecorder(file);
    const deps = { prisma: source.prisma, recorder };
    await ingestPositions(deps, { source: "venue", updates: [
      { accountId: "live-1", marketId: "ETH-PERP", qty: "-2.5", entryPrice: "3001.25", seq: 7 },
      { accountId: "live-2", marketId: "SOL-PERP", qty: 10, entryPrice: 150, seq: 7 },
    ] });
    await ingestCollateral(deps, { entries: [{ accountId: "live-1", amount: 500, kind: "deposit", idempotencyKey: "live-dep" }] });
    await expect(ingestPositions(deps, { source: "venue", updates: [{ accountId: "z", marketId: "NOPE", qty: 1, entryPrice: 1, seq: 1 }] }))
      .rejects.toThrow(/unknown market/);
    await recorder.close();
    const lines = readFileSync(file, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(lines.map((l) => l.kind)).toEqual(["positions", "collateral"]);

    const play = await runScript("replay", [file, "--url", url, "--token", token, "--speed", "0"]);
    expect(play.code).toBe(0);
    const position = await target.prisma.position.findUniqueOrThrow({ where: { accountId_marketId: { accountId: "live-1", marketId: "ETH-PERP" } } });
    expect([position.qty.toFixed(), position.entryPrice.toFixed(), position.lastSeq]).toEqual(["-2.5", "3001.25", 7n]);
  });

  it("isolated positions (spec §11): recorded with their margin (--book) and their margin moves, and replayed to the same state", async () => {
    await ingestCollateral({ prisma: source.prisma }, { entries: [{ accountId: "iso-r", amount: "1000", kind: "deposit", idempotencyKey: "iso-r-dep" }] });
    await ingestPositions({ prisma: source.prisma }, { source: "venue", updates: [
      { accountId: "iso-r", marketId: "BNB-PERP", qty: 1, entryPrice: 600, seq: 1, marginMode: "isolated", isolatedMargin: "50" },
    ] });
    await ingestCollateral({ prisma: source.prisma }, { entries: [
      { accountId: "iso-r", amount: "25.5", kind: "isolated_margin", marketId: "BNB-PERP", idempotencyKey: "iso-r-move" },
    ] });
    const moves = path.join(dir, "moves.ndjson");
    expect((await runScript("record", [moves, "--url", source.url, "--since", "10m"])).code).toBe(0);
    const recorded = readFileSync(moves, "utf8").trim().split("\n").map((l) => JSON.parse(l))
      .filter((l) => l.kind === "collateral").flatMap((l) => l.body.entries).filter((e: { accountId: string }) => e.accountId === "iso-r");
    // As the feed sent it: signed as it moves the position's margin.
    expect(recorded).toEqual([
      { accountId: "iso-r", amount: "1000", kind: "deposit", idempotencyKey: "iso-r-dep" },
      { accountId: "iso-r", amount: "25.5", kind: "isolated_margin", idempotencyKey: "iso-r-move", marketId: "BNB-PERP" },
    ]);

    const book = path.join(dir, "book.ndjson");
    expect((await runScript("record", [book, "--url", source.url, "--book", "--market", "BNB-PERP"])).code).toBe(0);
    const updates = readFileSync(book, "utf8").trim().split("\n").map((l) => JSON.parse(l)).filter((l) => l.kind === "positions").flatMap((l) => l.body.updates);
    expect(updates.filter((u: { accountId: string }) => u.accountId === "iso-r"))
      .toEqual([expect.objectContaining({ marketId: "BNB-PERP", qty: "1", marginMode: "isolated", isolatedMargin: "75.5" })]);
    const play = await runScript("replay", [book, "--url", url, "--token", token, "--speed", "0"]);
    expect(play.stderr).toContain("refused batches 0");
    const position = await target.prisma.position.findUniqueOrThrow({ where: { accountId_marketId: { accountId: "iso-r", marketId: "BNB-PERP" } } });
    expect([position.marginMode, position.isolatedMargin?.toFixed()]).toEqual(["isolated", "75.5"]);
    expect((await target.prisma.account.findUniqueOrThrow({ where: { id: "iso-r" } })).collateral.toFixed()).toBe("974.5");
  });

  it("replay stops on a refused token and says so", async () => {
    const file = path.join(dir, "live.ndjson");
    const play = await runScript("replay", [file, "--url", url, "--token", "lqd_wrong"]);
    expect(play.code).toBe(1);
    expect(play.stderr).toContain("refused the token (401)");
  });
});
