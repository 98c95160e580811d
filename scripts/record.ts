/**
 * Exports a window of the feed from PostgreSQL as a recording (ndjson) that `npm run replay` plays
 * to an ingest API (docs/API.md, "Recording and replay").
 *
 *   npm run --silent record -- FILE.ndjson [--since 1h | --from ISO] [--to ISO] [--market BTC-PERP,ETH-PERP]
 *                                          [--book] [--url postgresql://…]
 *
 * FILE may be `-` (standard output). What PostgreSQL keeps, and so what a recording holds:
 *   - prices: the 1-second OHLC candles of every source, each played back as up to four ticks
 *     (open, the extreme nearer the open, the other extreme, close) spread over its second;
 *   - funding events;
 *   - collateral movements from the venue (deposit, withdrawal, adjustment), with their
 *     idempotency keys (so replaying into the same database is a no-op for them);
 *   - with --book: first the book as it is now (every open position, every non-zero balance),
 *     and then no collateral movements (the balances already hold them). Position history is not
 *     kept in PostgreSQL (only current state): for a lossless capture of every batch, positions
 *     included, run the server with LIQDESK_RECORD_FILE set.
 *
 * Exit codes: 0 done; 1 failed (no database, unwritable file); 2 usage error.
 */
import { createWriteStream, type WriteStream } from "node:fs";
import { parseArgs } from "node:util";
import { MAX_BATCH_ITEMS } from "@/lib/contracts/ingest-batch";
import { env } from "@/lib/server/env";
import { openCliDatabase } from "@/lib/server/ingest/cli-database";
import type { RecordedBatch } from "@/lib/server/ingest/ingest-recorder";
import { INGEST_KEY_PREFIX } from "@/lib/server/ingest/persist-collateral";
import type { PrismaClient } from "@/lib/server/db/prisma-client";

const USAGE = `usage: record FILE.ndjson|- [--since 1h | --from ISO] [--to ISO] [--market ID,…] [--book] [--url postgresql://…]

  --since D    window length back from --to: 90s, 15m, 2h, 1d (default 1h)
  --from ISO   window start (instead of --since)
  --to ISO     window end (default now)
  --market     only these markets (comma-separated; default all)
  --book       start with the current book (open positions, balances) instead of collateral movements
`;

/** The key the feed chose, as it sends it again (the ledger keeps it as `ingest:<key>`: lib/server/ingest/persist-collateral.ts). */
function feedKey(ledgerKey: string): string {
  return ledgerKey.startsWith(INGEST_KEY_PREFIX) ? ledgerKey.slice(INGEST_KEY_PREFIX.length) : ledgerKey;
}

/** Query the window in slices of this length, to keep memory flat over long windows. */
const SLICE_MS = 5 * 60_000;

class UsageError extends Error {}

function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(text.trim());
  if (!m) throw new UsageError(`--since: expected a duration like 90s, 15m, 2h or 1d (got "${text}")`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as "ms" | "s" | "m" | "h" | "d"];
  return Number(m[1]) * unit;
}

function parseTime(text: string, flag: string): number {
  const t = Date.parse(text);
  if (Number.isNaN(t)) throw new UsageError(`${flag}: expected an ISO 8601 time (got "${text}")`);
  return t;
}

interface Candle { market_id: string; source: string; bucket: Date; open: number; high: number; low: number; close: number; count: number }

/** Up to four ticks per candle in a plausible path order, spread evenly over its second. */
function ticksOfCandle(c: Candle): { ts: number; price: number }[] {
  const path = c.close >= c.open ? [c.open, c.low, c.high, c.close] : [c.open, c.high, c.low, c.close];
  const prices = path.filter((p, i) => i === 0 || p !== path[i - 1]).slice(0, Math.max(1, c.count));
  if (prices[prices.length - 1] !== c.close) prices[prices.length - 1] = c.close;
  const start = c.bucket.getTime();
  return prices.map((price, i) => ({ ts: start + Math.floor((i * 1000) / prices.length), price }));
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

async function writeLine(out: NodeJS.WritableStream, line: unknown): Promise<void> {
  if (!out.write(`${JSON.stringify(line)}\n`)) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
}

async function record(prisma: PrismaClient, out: NodeJS.WritableStream, opts: {
  from: number; to: number; markets: string[]; book: boolean;
}): Promise<Record<string, number>> {
  const counts: Record<string, number> = { prices: 0, ticks: 0, funding: 0, collateral: 0, positions: 0 };
  const recordedAt = Date.now();
  await writeLine(out, { t: opts.from, kind: "meta", recordedAt, from: opts.from, to: opts.to, markets: opts.markets, book: opts.book, origin: "postgres" });

  if (opts.book) {
    const positions = await prisma.$queryRaw<{ account_id: string; market_id: string; qty: string; entry_price: string; isolated_margin: string | null }[]>`
      SELECT account_id, market_id, trim_scale(qty)::text AS qty, trim_scale(entry_price)::text AS entry_price,
             trim_scale(isolated_margin)::text AS isolated_margin
        FROM positions WHERE qty <> 0 AND (cardinality(${opts.markets}::text[]) = 0 OR market_id = ANY(${opts.markets}::text[]))
       ORDER BY account_id, market_id`;
    const balances = await prisma.$queryRaw<{ id: string; collateral: string }[]>`
      SELECT id, trim_scale(collateral)::text AS collateral FROM accounts WHERE collateral <> 0 ORDER BY id`;
    for (const part of chunks(balances, MAX_BATCH_ITEMS)) {
      const entries = part.map((b) => ({
        accountId: b.id, amount: b.collateral, kind: b.collateral.startsWith("-") ? "adjustment" : "deposit",
        idempotencyKey: `record:${recordedAt}:${b.id}`, note: "book snapshot",
      }));
      await writeLine(out, { t: opts.from, kind: "collateral", body: { entries } } satisfies RecordedBatch);
      counts.collateral! += entries.length;
    }
    for (const part of chunks(positions, MAX_BATCH_ITEMS)) {
      // Spec §11: an isolated position with its margin (the account's balance above is its cross collateral).
      const updates = part.map((p) => ({
        accountId: p.account_id, marketId: p.market_id, qty: p.qty, entryPrice: p.entry_price, seq: String(recordedAt),
        ...(p.isolated_margin === null ? {} : { marginMode: "isolated", isolatedMargin: p.isolated_margin }),
      }));
      await writeLine(out, { t: opts.from, kind: "positions", body: { source: "record", updates } } satisfies RecordedBatch);
      counts.positions! += updates.length;
    }
  }

  for (let a = opts.from; a < opts.to; a += SLICE_MS) {
    const b = Math.min(opts.to, a + SLICE_MS);
    const [from, to] = [new Date(a), new Date(b)];
    const candles = await prisma.$queryRaw<Candle[]>`
      SELECT market_id, source, bucket, open::float8 AS open, high::float8 AS high, low::float8 AS low,
             close::float8 AS close, count
        FROM price_ticks_1s
       WHERE bucket >= ${from} AND bucket < ${to}
         AND (cardinality(${opts.markets}::text[]) = 0 OR market_id = ANY(${opts.markets}::text[]))`;
    const funding = await prisma.$queryRaw<{ market_id: string; rate: string; mark_price: string; ts: Date }[]>`
      SELECT market_id, trim_scale(rate)::text AS rate, trim_scale(mark_price)::text AS mark_price, ts FROM funding_events
       WHERE ts >= ${from} AND ts < ${to}
         AND (cardinality(${opts.markets}::text[]) = 0 OR market_id = ANY(${opts.markets}::text[]))`;
    const movements = opts.book ? [] : await prisma.$queryRaw<{
      account_id: string; kind: string; amount: string; idempotency_key: string; note: string | null; created_at: Date; market_id: string | null;
    }[]>`
      SELECT account_id, kind::text AS kind, trim_scale(amount)::text AS amount, idempotency_key, note, created_at, market_id
        FROM collateral_ledger
       WHERE (kind IN ('deposit', 'withdrawal', 'adjustment')
              OR (kind = 'isolated_margin' AND idempotency_key LIKE ${`${INGEST_KEY_PREFIX}%`}))
         AND created_at >= ${from} AND created_at < ${to}
       ORDER BY id`;

    const lines: RecordedBatch[] = [];
    // Prices: one batch per source and tick time (all markets of that source at that instant).
    const bySourceTime = new Map<string, { source: string; t: number; ticks: { marketId: string; price: number; ts: number }[] }>();
    for (const c of candles) {
      for (const tick of ticksOfCandle(c)) {
        const key = `${c.source}\u0000${tick.ts}`;
        let batch = bySourceTime.get(key);
        if (!batch) bySourceTime.set(key, (batch = { source: c.source, t: tick.ts, ticks: [] }));
        batch.ticks.push({ marketId: c.market_id, price: tick.price, ts: tick.ts });
        counts.ticks! += 1;
      }
    }
    for (const batch of bySourceTime.values()) {
      for (const ticks of chunks(batch.ticks, MAX_BATCH_ITEMS)) lines.push({ t: batch.t, kind: "prices", body: { source: batch.source, ticks } });
    }
    for (const f of funding) {
      lines.push({ t: f.ts.getTime(), kind: "funding", body: { marketId: f.market_id, rate: f.rate, markPrice: f.mark_price, ts: f.ts.getTime() } });
    }
    // Collateral: one batch per second of ledger time, in ledger order.
    const bySecond = new Map<number, object[]>();
    for (const m of movements) {
      const second = Math.floor(m.created_at.getTime() / 1000) * 1000;
      const list = bySecond.get(second) ?? [];
      // An isolated_margin row is signed as it moved the cross balance; the feed signed it as it moved the position's margin.
      const amount = m.kind !== "isolated_margin" ? m.amount : m.amount.startsWith("-") ? m.amount.slice(1) : `-${m.amount}`;
      list.push({
        accountId: m.account_id, amount, kind: m.kind, idempotencyKey: feedKey(m.idempotency_key), ...(m.note === null ? {} : { note: m.note }),
        ...(m.market_id === null ? {} : { marketId: m.market_id }),
      });
      bySecond.set(second, list);
    }
    for (const [second, entries] of bySecond) {
      for (const part of chunks(entries, MAX_BATCH_ITEMS)) lines.push({ t: second, kind: "collateral", body: { entries: part } });
    }
    lines.sort((x, y) => x.t - y.t);
    for (const line of lines) {
      await writeLine(out, line);
      counts[line.kind] = (counts[line.kind] ?? 0) + (line.kind === "prices" ? 1 : line.kind === "collateral" ? (line.body as { entries: unknown[] }).entries.length : 1);
    }
  }
  return counts;
}

async function main(): Promise<number> {
  let opts;
  let file: string;
  let url: string | undefined;
  try {
    const { values, positionals } = parseArgs({
      allowPositionals: true,
      options: {
        since: { type: "string" }, from: { type: "string" }, to: { type: "string" }, market: { type: "string" },
        book: { type: "boolean" }, url: { type: "string" }, help: { type: "boolean", short: "h" },
      },
    });
    if (values.help) {
      process.stderr.write(USAGE);
      return 0;
    }
    if (positionals.length !== 1) throw new UsageError("expected one FILE (or - for standard output)");
    if (values.since && values.from) throw new UsageError("give --since or --from, not both");
    file = positionals[0]!;
    url = values.url;
    const to = values.to ? parseTime(values.to, "--to") : Date.now();
    const from = values.from ? parseTime(values.from, "--from") : to - parseDuration(values.since ?? "1h");
    if (!(from < to)) throw new UsageError("the window is empty: --from must be before --to");
    const markets = values.market ? values.market.split(",").map((m) => m.trim()).filter(Boolean) : [];
    opts = { from, to, markets, book: values.book ?? false };
  } catch (error) {
    process.stderr.write(`record: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }

  let db;
  try {
    db = await openCliDatabase(env(), url);
  } catch (error) {
    process.stderr.write(`record: cannot open the database: ${(error as Error).message}\n`);
    return 1;
  }
  const out = file === "-" ? process.stdout : createWriteStream(file);
  const failed = new Promise<Error>((resolve) => out.once("error", resolve));
  try {
    const started = Date.now();
    const counts = await Promise.race([record(db.prisma, out, opts), failed.then((e) => Promise.reject(e))]);
    if (out !== process.stdout) await new Promise<void>((resolve) => (out as WriteStream).end(resolve));
    process.stderr.write(
      `record: ${new Date(opts.from).toISOString()} → ${new Date(opts.to).toISOString()} from ${db.where}: ` +
        `${counts.ticks} price ticks in ${counts.prices} batches, ${counts.funding} funding events, ` +
        `${counts.collateral} collateral entries${opts.book ? `, ${counts.positions} positions (book)` : ""} ` +
        `in ${Date.now() - started} ms${file === "-" ? "" : ` → ${file}`}\n`,
    );
    return 0;
  } catch (error) {
    process.stderr.write(`record: ${(error as Error).message}\n`);
    return 1;
  } finally {
    await db.close();
  }
}

process.exit(await main());
