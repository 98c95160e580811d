// `npm run markets -- import` as the desk runs it (a real process) against real PostgreSQL: rows,
// the audit entry and the NOTIFY after a good import; nothing at all (no row, no audit, no NOTIFY)
// after a bad one, whatever part of the table is bad.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDatabase } from "@/lib/server/seed";
import { MARKETS_CHANNEL } from "@/lib/server/markets/market-import";
import { createTestDatabase, type TestDatabase } from "../support/test-database";

const ROOT = path.resolve(import.meta.dirname, "../..");
const FIXTURES = path.join(ROOT, "tests/fixtures/venues");
const BINANCE = path.join(FIXTURES, "binance-leverage-brackets.json");
const HYPERLIQUID = path.join(FIXTURES, "hyperliquid-meta.json");

describe("npm run markets -- import", () => {
  let db: TestDatabase;
  let listener: pg.Client;
  const notified: string[] = [];
  const scratch = mkdtempSync(path.join(tmpdir(), "liqdesk-markets-"));

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedDatabase(db.prisma);
    listener = new pg.Client({ connectionString: db.url });
    await listener.connect();
    listener.on("notification", (n) => notified.push(n.payload ?? ""));
    await listener.query(`LISTEN ${MARKETS_CHANNEL}`);
  });
  afterAll(async () => {
    await listener?.end();
    await db?.drop();
  });

  function markets(...args: string[]) {
    const r = spawnSync(process.execPath, ["--import", "tsx", "--import", "./scripts/server-only-hook.mjs", "scripts/markets.ts", ...args, "--url", db.url], {
      cwd: ROOT, encoding: "utf8", timeout: 60_000,
    });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  /** Every market row and the audit log, to compare before and after a refused import. */
  async function state() {
    const rows = await db.prisma.market.findMany({ orderBy: { id: "asc" } });
    const audit = await db.prisma.auditLog.count();
    return { rows: rows.map((r) => ({ ...r, updatedAt: r.updatedAt.getTime(), createdAt: r.createdAt.getTime() })), audit };
  }

  /** Waits for notifications to arrive (a NOTIFY reaches the listener just after the commit). */
  async function settle() {
    await listener.query("SELECT 1");
    await new Promise((r) => setTimeout(r, 200));
  }

  function tampered(name: string, edit: (json: any) => void): string { // eslint-disable-line @typescript-eslint/no-explicit-any
    const json = JSON.parse(readFileSync(BINANCE, "utf8"));
    edit(json);
    const file = path.join(scratch, name);
    writeFileSync(file, JSON.stringify(json));
    return file;
  }

  it("--dry-run prints before → after and writes nothing", async () => {
    const before = await state();
    const r = markets("import", "binance", BINANCE, "--symbols", "BTCUSDT", "--dry-run");
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("BTC-PERP (binance BTCUSDT): update (tiers)");
    expect(r.stdout).toContain("  tier 2: ≤ 250000 USD, mmr 0.005, 100x  →  ≤ 250000 USD, mmr 0.005, 100x");
    expect(r.stdout).toContain("  tier 5: —  →  ≤ 20000000 USD, mmr 0.05, 10x");
    expect(r.stdout).toContain("dry run: nothing written");
    await settle();
    expect(await state()).toEqual(before);
    expect(notified).toEqual([]);
  });

  it("refused imports write nothing and announce nothing: a tampered cum, a gap, NaN, not JSON, a new market without its fields, a fee §2 rejects", async () => {
    const before = await state();
    const cases: [string[], RegExp][] = [
      [["import", "binance", tampered("cum.json", (j) => (j[0].brackets[2].cum = 1301))],
        /^markets: cum\.json: \[0\]\.brackets\[2\]\.cum: BTCUSDT bracket 3: cum 1301 is not the maintenance amount spec §2 derives from the brackets \(1300\)\n$/],
      [["import", "binance", tampered("gap.json", (j) => (j[1].brackets[3].notionalFloor = 100001))],
        /^markets: gap\.json: \[1\]\.brackets\[3\]\.notionalFloor: MANAUSDT bracket 4: a gap or overlap/],
      [["import", "binance", tampered("nan.json", (j) => (j[0].brackets[0].maintMarginRatio = "NaN"))],
        /^markets: nan\.json: \[0\]\.brackets\[0\]\.maintMarginRatio: must be a finite number \(got "NaN"\)\n$/],
      [["import", "hyperliquid", path.join(ROOT, "README.md")], /^markets: README\.md: \(body\): not JSON: /],
      // BTCUSDT alone would be fine: the whole file is refused because MANA-PERP is new and has no lot size.
      [["import", "binance", BINANCE], /^markets: --lot-size: MANA-PERP is a new market and the binance table does not give its lotSize: pass --lot-size\n$/],
      [["import", "binance", BINANCE, "--symbols", "MANAUSDT", "--lot-size", "1", "--tick-size", "0.0001", "--half-spread-bps", "2",
        "--depth-per-1pct", "500000", "--liquidation-fee-rate", "0.01"],
        /^markets: MANA-PERP\.liquidationFeeRate: must be below the first tier's mmr \(0\.01\)/],
      [["import", "binance", BINANCE, "--symbols", "BTCUSDT", "--tick-size", "Infinity"], /^markets: --tick-size: must be a finite number/],
    ];
    for (const [args, message] of cases) {
      const r = markets(...args);
      expect(r.stderr, args.join(" ")).toMatch(message);
      expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
      expect(r.status, args.join(" ")).toBe(2);
    }
    await settle();
    expect(await state()).toEqual(before);
    expect(notified).toEqual([]);
  });

  it("an import writes every market in one transaction with one audit entry, then NOTIFYs their ids", async () => {
    const r = markets("import", "binance", BINANCE, "--lot-size", "1", "--tick-size", "0.0001", "--half-spread-bps", "2",
      "--depth-per-1pct", "500000", "--liquidation-fee-rate", "0.002", "--by", "desk-ana");
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("MANA-PERP (binance MANAUSDT): new market");
    expect(r.stdout).toMatch(/imported in .* \(audit entry \d+\)/);
    const btc = await db.prisma.market.findUniqueOrThrow({ where: { id: "BTC-PERP" } });
    expect((btc.tiers as unknown[]).length).toBe(10);
    expect((btc.tiers as unknown[])[9]).toEqual({ maxNotional: null, mmr: 0.5, maxLeverage: 1 });
    // The flags are MANA-PERP's: BTC-PERP keeps its own fields.
    expect([btc.lotSize.toString(), btc.tickSize.toString(), btc.liquidationFeeRate.toString(), btc.depthPer1Pct.toString()]).toEqual(["0.001", "0.1", "0.001", "2000000"]);
    expect(r.stdout).toContain("--lot-size, --tick-size, --liquidation-fee-rate, --half-spread-bps, --depth-per-1pct: for new markets only; BTC-PERP kept their own");
    const mana = await db.prisma.market.findUniqueOrThrow({ where: { id: "MANA-PERP" } });
    expect([mana.baseAsset, mana.lotSize.toString(), mana.tickSize.toString(), mana.liquidationFeeRate.toString(), mana.depthPer1Pct.toString()])
      .toEqual(["MANA", "1", "0.0001", "0.002", "500000"]);
    const audit = await db.prisma.auditLog.findMany({ where: { action: "market.import" } });
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor).toBe("cli:desk-ana");
    expect(audit[0]!.note).toBe("binance binance-leverage-brackets.json: BTC-PERP updated, MANA-PERP created");
    const details = audit[0]!.details as { sha256: string; markets: { id: string; before: unknown; after: { tiers: unknown[] } }[] };
    expect(details.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(details.markets.map((m) => m.id)).toEqual(["BTC-PERP", "MANA-PERP"]);
    expect(details.markets[0]!.before).toMatchObject({ id: "BTC-PERP", tiers: [{ maxNotional: 50000, mmr: 0.004, maxLeverage: 125 }, {}, {}, {}] });
    expect(details.markets[1]!.before).toBeNull();
    await settle();
    expect(notified.map((p) => JSON.parse(p))).toEqual([{ markets: ["BTC-PERP", "MANA-PERP"] }]);
    notified.length = 0;

    // Again: nothing changes, nothing is written or announced.
    const again = markets("import", "binance", BINANCE, "--symbols", "BTCUSDT,MANAUSDT");
    expect(again.status).toBe(0);
    expect(again.stdout).toContain("nothing to change");
    await settle();
    expect(await db.prisma.auditLog.count({ where: { action: "market.import" } })).toBe(1);
    expect(notified).toEqual([]);
  });

  it("hyperliquid: tiers with mmr = 1/(2·maxLeverage); a new market's lot size from szDecimals; the OS user audited", async () => {
    const r = markets("import", "hyperliquid", HYPERLIQUID, "--symbols", "ETH,HPOS", "--tick-size", "0.001", "--half-spread-bps", "5",
      "--depth-per-1pct", "100000", "--liquidation-fee-rate", "0.01");
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("left out (delisted): LOOM");
    const eth = await db.prisma.market.findUniqueOrThrow({ where: { id: "ETH-PERP" } });
    expect(eth.tiers).toEqual([{ maxNotional: 100000000, mmr: 0.02, maxLeverage: 25 }, { maxNotional: null, mmr: 1 / 30, maxLeverage: 15 }]);
    expect(eth.lotSize.toString()).toBe("0.01"); // kept: an existing market's lot size never changes
    const hpos = await db.prisma.market.findUniqueOrThrow({ where: { id: "HPOS-PERP" } });
    expect([hpos.lotSize.toString(), hpos.tiers]).toEqual(["1", [{ maxNotional: null, mmr: 1 / 6, maxLeverage: 3 }]]);
    const audit = await db.prisma.auditLog.findFirstOrThrow({ where: { action: "market.import" }, orderBy: { id: "desc" } });
    expect(audit.actor).toMatch(/^cli:.+/);
    await settle();
    expect(notified.map((p) => JSON.parse(p))).toEqual([{ markets: ["ETH-PERP", "HPOS-PERP"] }]);
  });
});
