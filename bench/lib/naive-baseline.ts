/**
 * The naive way to persist ingest rows, as the benchmarks' baseline: one Prisma call (one INSERT
 * or upsert, one round trip) per row, straight into the server's database from this process —
 * no HTTP, no validation, no engine, so it does less per row than the ingest API does.
 */
import type { PrismaClient } from "@/lib/server/db/prisma-client";
import type { BookPosition } from "./venue-book";
import type { Tick } from "./price-feed";

export interface BaselineRun {
  rows: number;
  concurrency: number;
  ms: number;
  rowsPerS: number;
  latenciesMs: number[];
}

/** Writes `rows` with `write`, `concurrency` rows in flight (1: a plain `for … await` loop). */
export async function runNaive<T>(rows: readonly T[], concurrency: number, write: (row: T) => Promise<unknown>): Promise<BaselineRun> {
  const latenciesMs: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < rows.length) {
      const row = rows[next++]!;
      const s = performance.now();
      await write(row);
      latenciesMs.push(performance.now() - s);
    }
  }));
  const ms = performance.now() - t0;
  return { rows: rows.length, concurrency, ms, rowsPerS: (rows.length / ms) * 1000, latenciesMs };
}

/** `prisma.position.create` of one position (its account exists). */
export const createPosition = (prisma: PrismaClient, source: string) => (p: BookPosition) =>
  prisma.position.create({
    data: { accountId: p.accountId, marketId: p.marketId, qty: String(p.qty), entryPrice: String(p.entryPrice), source, lastSeq: BigInt(p.seq) },
  });

/** `prisma.position.update` of one position to its new state. */
export const updatePosition = (prisma: PrismaClient, source: string) => (p: BookPosition) =>
  prisma.position.update({
    where: { accountId_marketId: { accountId: p.accountId, marketId: p.marketId } },
    data: { qty: String(p.qty), entryPrice: String(p.entryPrice), source, lastSeq: BigInt(p.seq) },
  });

/**
 * One tick as the source's latest price: `prisma.latestPrice.upsert` (a plain create cannot work:
 * the table keeps one row per market and source). The ingest path also folds every tick into the
 * 1-second candles, which this does not.
 */
export const upsertLatestPrice = (prisma: PrismaClient) => (t: Tick & { source: string }) => {
  const data = { price: String(t.price), ts: new Date(t.ts), seq: BigInt(t.ts) };
  return prisma.latestPrice.upsert({
    where: { marketId_source: { marketId: t.marketId, source: t.source } },
    create: { marketId: t.marketId, source: t.source, ...data },
    update: data,
  });
};
