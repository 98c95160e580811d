import "server-only";
import { createHash } from "node:crypto";
import { planImport, type ImportOptions, type MarketRecord, type PlannedMarket, type Venue, type VenueTable } from "@/lib/venues";
import type { TierParams } from "@/lib/risk";
import type { PrismaClient } from "../db/prisma-client";
import { transactionLock } from "../db/transaction-lock";

/**
 * The PostgreSQL channel an import NOTIFYs within its transaction (delivered only at its commit,
 * never for a rolled-back one): the payload is the JSON `{ "markets": [ids] }` of the markets it
 * created or changed. The instance running the engine LISTENs (markets-listener.ts) and reloads them.
 */
export const MARKETS_CHANNEL = "liqdesk_markets";

type MarketRow = Awaited<ReturnType<PrismaClient["market"]["findMany"]>>[number];

/** A stored market as the import plan reads it: its decimals as PostgreSQL wrote them. */
export function marketRecordOf(row: MarketRow): MarketRecord {
  return {
    id: row.id,
    baseAsset: row.baseAsset,
    lotSize: row.lotSize.toString(),
    tickSize: row.tickSize.toString(),
    liquidationFeeRate: row.liquidationFeeRate.toString(),
    maintenanceFeeRate: row.maintenanceFeeRate.toString(),
    halfSpreadBps: row.halfSpreadBps.toString(),
    depthPer1Pct: row.depthPer1Pct.toString(),
    tiers: row.tiers as unknown as TierParams[],
  };
}

export interface ImportRequest {
  venue: Venue;
  tables: readonly VenueTable[];
  options: ImportOptions;
  /** Who imports: written to the audit log as `actor` ("cli:<os user>" or "cli:<--by>"). */
  actor: string;
  /** The file's name and its bytes' SHA-256, for the audit entry. */
  source: { file: string; bytes: Uint8Array };
  /** Plan only: nothing is written, nothing announced. */
  dryRun?: boolean;
}

export interface ImportResult {
  plan: PlannedMarket[];
  /** The audit entry's id; null for a dry run or an import that changes nothing. */
  auditId: string | null;
}

/**
 * Creates or updates the markets of one venue table, all in one transaction: the plan is made from
 * the markets as they are inside it (imports go one at a time), each market created or changed,
 * one audit entry (`market.import`: who, the venue and file, each market's before and after), and
 * the NOTIFY that has the engine reload them once committed. A bad table or market throws
 * `VenueInputError` before anything is written; nothing is then committed.
 */
export async function importMarkets(prisma: PrismaClient, request: ImportRequest): Promise<ImportResult> {
  return prisma.$transaction(async (tx) => {
    await transactionLock(tx, "markets.import");
    const rows = await tx.market.findMany({ orderBy: { id: "asc" } });
    const plan = planImport(request.tables, rows.map(marketRecordOf), request.options);
    const changed = plan.filter((m) => m.changed.length > 0);
    if (request.dryRun || changed.length === 0) return { plan, auditId: null };
    for (const m of changed) {
      const a = m.after;
      const fields = {
        lotSize: a.lotSize, tickSize: a.tickSize, liquidationFeeRate: a.liquidationFeeRate, maintenanceFeeRate: a.maintenanceFeeRate,
        halfSpreadBps: a.halfSpreadBps, depthPer1Pct: a.depthPer1Pct, tiers: a.tiers as unknown as object[],
      };
      if (m.before) await tx.market.update({ where: { id: m.id }, data: fields });
      else await tx.market.create({ data: { id: m.id, baseAsset: a.baseAsset, ...fields } });
    }
    const sha256 = createHash("sha256").update(request.source.bytes).digest("hex");
    const audit = await tx.auditLog.create({
      data: {
        actor: request.actor,
        action: "market.import",
        note: `${request.venue} ${request.source.file}: ${changed.map((m) => `${m.id} ${m.before ? "updated" : "created"}`).join(", ")}`,
        details: {
          venue: request.venue, file: request.source.file, sha256,
          markets: changed.map((m) => ({ id: m.id, symbol: m.symbol, changed: m.changed, before: m.before as object | null, after: m.after as object })) as object[],
        },
      },
    });
    await tx.$queryRaw`SELECT pg_notify(${MARKETS_CHANNEL}, ${notification(changed.map((m) => m.id))})::text AS sent`;
    return { plan, auditId: audit.id.toString() };
  });
}

/** PostgreSQL refuses a NOTIFY payload of 8000 bytes or more: past a margin below that, "all" (every market reloaded). */
const PAYLOAD_MAX = 7000;

/** The NOTIFY payload naming `ids`, or every market when the list would not fit. */
export function notification(ids: readonly string[]): string {
  const named = JSON.stringify({ markets: ids });
  return Buffer.byteLength(named) <= PAYLOAD_MAX ? named : JSON.stringify({ markets: "all" });
}
