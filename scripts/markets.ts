/**
 * Venue tier tables imported as they are published (docs/MARKETS-IMPORT.md).
 *
 *   npm run --silent markets -- import binance FILE [flags]
 *   npm run --silent markets -- import hyperliquid FILE [flags]
 *
 * Exit codes: 0 done (or nothing to change); 1 failed (no database, a write that failed);
 * 2 bad input (usage, a file that is not the venue's table, a cum §2 does not derive, a market
 * lib/risk refuses, a missing field of a new market): one line naming the field, nothing written.
 */
import { readFile } from "node:fs/promises";
import { userInfo } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import {
  describePlan, parseBinanceBrackets, parseHyperliquidMeta, parseJsonText, VenueInputError, VENUES,
  type FlagField, type Venue, type VenueTable,
} from "@/lib/venues";
import { env, EnvError } from "@/lib/server/env";
import { openCliDatabase } from "@/lib/server/ingest/cli-database";
import { importMarkets } from "@/lib/server/markets/market-import";

const USAGE = `usage: markets import binance|hyperliquid FILE [flags]

  Reads a venue's published tier table and creates or updates markets with its tiers (spec §2),
  all in one transaction, audited (action market.import); the running server applies them to the
  live engine without a restart.

  binance FILE       the answer of GET /fapi/v1/leverageBracket (USDⓈ-M): each bracket's cum must
                     equal the maintenance amount §2 derives from the brackets, or nothing is imported
  hyperliquid FILE   the answer of POST /info {"type":"meta"}: universe and marginTables;
                     mmr = 1 / (2 · maxLeverage) per tier, lot size 10^-szDecimals, delisted perps left out

Market ids
  Binance <BASE>USDT → <BASE>-PERP (BTCUSDT → BTC-PERP); Hyperliquid <NAME> → <NAME>-PERP (BTC → BTC-PERP).
  --map SYMBOL=ID          another id for a symbol (repeatable; needed for USDC pairs, dated contracts)
  --symbols A,B            only these symbols of the file (default: every symbol in it)

Fields the table does not give, for NEW markets (an existing market keeps its own: an import
changes its tiers only). A new market needs each, or the import stops naming the missing flag.
  --lot-size N             base units (Hyperliquid gives it as szDecimals)
  --tick-size N            USD
  --liquidation-fee-rate N fraction of notional, below the first tier's mmr
  --maintenance-fee-rate N closing fee counted in maintenance, spec §11, in [0, 1) (default 0)
  --half-spread-bps N      bps (stress and liquidation cost, spec §5)
  --depth-per-1pct N       USD of notional that moves the price 1% (spec §5)

Other
  --dry-run                print what would change (before → after per market), write nothing
  --by NAME                who imports, for the audit log (default: the OS user)
  --url postgresql://…     another database than DATABASE_URL / the embedded one
`;

const FIELD_OPTIONS: Record<string, FlagField> = {
  "lot-size": "lotSize", "tick-size": "tickSize", "liquidation-fee-rate": "liquidationFeeRate", "maintenance-fee-rate": "maintenanceFeeRate",
  "half-spread-bps": "halfSpreadBps", "depth-per-1pct": "depthPer1Pct",
};

/** Bad input: one line naming what is wrong, exit 2. */
function usageError(message: string): number {
  process.stderr.write(`markets: ${message} (npm run markets -- --help)\n`);
  return 2;
}

function parseTables(venue: Venue, text: string): { tables: VenueTable[]; skipped: string[] } {
  const json = parseJsonText(text);
  if (venue === "binance") return { tables: parseBinanceBrackets(json), skipped: [] };
  const { tables, delisted } = parseHyperliquidMeta(json);
  return { tables, skipped: delisted };
}

/** Who runs the command, for the audit log; empty when the system cannot say. */
function osUser(): string {
  try {
    return userInfo().username.trim();
  } catch {
    return (process.env.USER ?? process.env.LOGNAME ?? "").trim();
  }
}

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        map: { type: "string", multiple: true }, symbols: { type: "string" },
        ...Object.fromEntries(Object.keys(FIELD_OPTIONS).map((k) => [k, { type: "string" as const }])),
        "dry-run": { type: "boolean" }, by: { type: "string" }, url: { type: "string" }, help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    return usageError((error as Error).message);
  }
  const values = parsed.values as Record<string, string | string[] | boolean | undefined>;
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const [command, venue, file, ...rest] = parsed.positionals;
  if (command !== "import" || !venue || !file || rest.length > 0) return usageError("expected: import binance|hyperliquid FILE");
  if (!(VENUES as readonly string[]).includes(venue)) return usageError(`unknown venue "${venue}" (${VENUES.join(", ")})`);
  const map = new Map<string, string>();
  for (const pair of (values.map as string[] | undefined) ?? []) {
    const m = /^([^=\s]+)=([^=\s]+)$/.exec(pair);
    if (!m) return usageError(`--map: "${pair}" is not SYMBOL=ID`);
    if (map.has(m[1]!)) return usageError(`--map: ${m[1]} is mapped twice`);
    map.set(m[1]!, m[2]!);
  }
  const symbols = typeof values.symbols === "string" ? values.symbols.split(",").map((s) => s.trim()).filter(Boolean) : undefined;
  const fields: Partial<Record<FlagField, string>> = {};
  for (const [option, field] of Object.entries(FIELD_OPTIONS)) if (typeof values[option] === "string") fields[field] = values[option] as string;
  const by = typeof values.by === "string" ? values.by.trim() : osUser();
  if (!by) return usageError(typeof values.by === "string" ? "--by: must name who imports" : "--by: cannot tell the OS user: pass --by NAME");

  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    process.stderr.write(`markets: ${file}: cannot read it: ${(error as Error).message}\n`);
    return 2;
  }
  let tables: VenueTable[];
  let skipped: string[];
  try {
    ({ tables, skipped } = parseTables(venue as Venue, bytes.toString("utf8")));
  } catch (error) {
    if (error instanceof VenueInputError) {
      process.stderr.write(`markets: ${path.basename(file)}: ${error.message}\n`);
      return 2;
    }
    throw error;
  }

  let db;
  try {
    db = await openCliDatabase(env(), values.url as string | undefined);
  } catch (error) {
    const message = error instanceof EnvError ? error.message : (error as Error).message;
    process.stderr.write(`markets: cannot open the database: ${message}\n`);
    return 1;
  }
  try {
    const result = await importMarkets(db.prisma, {
      venue: venue as Venue, tables, options: { map, symbols, fields }, actor: `cli:${by}`,
      source: { file: path.basename(file), bytes }, dryRun: values["dry-run"] === true,
    });
    for (const line of describePlan(result.plan)) process.stdout.write(`${line}\n`);
    const kept = result.plan.filter((m) => m.before).map((m) => m.id);
    const flags = Object.entries(FIELD_OPTIONS).filter(([, field]) => fields[field] !== undefined).map(([option]) => `--${option}`);
    if (flags.length && kept.length) process.stdout.write(`${flags.join(", ")}: for new markets only; ${kept.join(", ")} kept their own\n`);
    if (skipped.length) process.stdout.write(`left out (delisted): ${skipped.join(", ")}\n`);
    if (values["dry-run"]) process.stdout.write(`dry run: nothing written (${db.where})\n`);
    else if (result.auditId === null) process.stdout.write("nothing to change\n");
    else process.stdout.write(`imported in ${db.where} (audit entry ${result.auditId}); a running server applies it to the engine now\n`);
    return 0;
  } catch (error) {
    if (error instanceof VenueInputError) {
      process.stderr.write(`markets: ${error.message}\n`);
      return 2;
    }
    process.stderr.write(`markets: ${(error as Error).message}\n`);
    return 1;
  } finally {
    await db.close();
  }
}

process.exit(await main());
