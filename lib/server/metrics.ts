import "server-only";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import { LIVE_STATUSES } from "@/lib/risk";
import type { BookSummary } from "@/lib/contracts/book-views";
import { ROOM_KINDS, type RoomKind } from "@/lib/contracts/socket-events";
import { processSlot } from "./process-slot";

export type IngestKind = "prices" | "positions" | "collateral" | "funding" | "topup";

/**
 * What the gauges read from the live runtime at each scrape (its services fit this shape; the
 * services registry hands them over: `setMetricsSource`). Declared here so that metrics, which
 * everything counts into, imports nothing of the runtime.
 */
export interface MetricsSource {
  readonly desk: { summary(): Promise<BookSummary> };
  readonly health: {
    socketClients(): Record<RoomKind, number>;
    socketSendBacklog(): { bytes: number; largest: number };
    snapshotLag(): { backlog: number; ageSeconds: number };
  };
}

/** Process-wide, as the registry: Next's module graphs and server.ts's read the same source. */
const source = processSlot<MetricsSource>("liqdesk.metrics-source");

/** The runtime the gauges read from (undefined: none in this process yet; the gauges read 0). */
export function setMetricsSource(value: MetricsSource | undefined): void {
  source.set(value);
}
const QUEUE_MODES = ["partial", "full", "none"] as const;

/** What the runtime counts and times as it works; the rest is read from the runtime at each scrape. */
export interface ServerMetrics {
  readonly registry: Registry;
  /** Items taken in by a committed ingest (ticks, position updates, collateral entries, funding events, top-ups). */
  readonly ingestItems: Counter<"kind">;
  /** From an ingest's receipt to its commit in PostgreSQL. */
  readonly ingestCommitSeconds: Histogram<"kind">;
  /** From sending marks to the engine until every account they move is revalued. */
  readonly engineRevaluationSeconds: Histogram;
  /** From a price tick's receipt to the `markets:delta` that carries it. */
  readonly tickToPushSeconds: Histogram;
  /** Liquidation steps that failed to execute (the account is paused and retried after the cool-down). */
  readonly liquidationStepFailures: Counter;
}

const KEY = Symbol.for("liqdesk.metrics");
type Holder = { [KEY]?: ServerMetrics };

/**
 * The one metrics registry of this process, shared through globalThis: server.ts's module graph
 * (the runtime, which counts) and the route's (which serves `GET /api/metrics`) are distinct, as
 * for the runtime registry.
 */
export function serverMetrics(): ServerMetrics {
  const holder = globalThis as Holder;
  holder[KEY] ??= createMetrics();
  return holder[KEY];
}

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

function createMetrics(): ServerMetrics {
  const registry = new Registry();
  // Node's metrics, among them event-loop lag (monitorEventLoopDelay): liqdesk_nodejs_eventloop_lag_*_seconds.
  collectDefaultMetrics({ register: registry, prefix: "liqdesk_" });
  const registers = [registry];
  const metrics: ServerMetrics = {
    registry,
    ingestItems: new Counter({ name: "liqdesk_ingest_items_total", help: "Items taken in by committed ingests", labelNames: ["kind"], registers }),
    ingestCommitSeconds: new Histogram({
      name: "liqdesk_ingest_commit_seconds", help: "From an ingest's receipt to its commit in PostgreSQL", labelNames: ["kind"],
      buckets: LATENCY_BUCKETS, registers,
    }),
    engineRevaluationSeconds: new Histogram({
      name: "liqdesk_engine_revaluation_seconds", help: "Round trip of a batch of marks through the engine worker, revaluation included",
      buckets: LATENCY_BUCKETS, registers,
    }),
    tickToPushSeconds: new Histogram({
      name: "liqdesk_tick_to_push_seconds", help: "From a price tick's receipt to the markets:delta that carries it",
      buckets: LATENCY_BUCKETS, registers,
    }),
    liquidationStepFailures: new Counter({
      name: "liqdesk_liquidation_step_failures_total", help: "Liquidation steps that failed to execute (account paused, retried after the cool-down)", registers,
    }),
  };
  for (const kind of ["prices", "positions", "collateral", "funding", "topup"] satisfies IngestKind[]) metrics.ingestItems.inc({ kind }, 0);
  registerRuntimeGauges(registry);
  return metrics;
}

/**
 * The book's summary for the gauges of one scrape: the registry collects every metric at once, so
 * the gauges that read it share one request to the engine worker.
 */
function bookSummary(): () => Promise<BookSummary | undefined> {
  let inFlight: Promise<BookSummary | undefined> | null = null;
  return () => {
    const live = source.find();
    if (!live) return Promise.resolve(undefined);
    inFlight ??= live.desk.summary().finally(() => { inFlight = null; });
    return inFlight;
  };
}

/** Figures read from the live runtime at each scrape: the book, the queue, sockets, the snapshot backlog. */
function registerRuntimeGauges(registry: Registry): void {
  const registers = [registry];
  const summary = bookSummary();
  const fromSummary = (name: string, help: string, labelNames: string[], set: (gauge: Gauge, s: BookSummary) => void) =>
    new Gauge({
      name, help, labelNames, registers,
      async collect() {
        const s = await summary();
        if (s) set(this, s);
      },
    });
  fromSummary("liqdesk_positions", "Open positions in the live book", [], (g, s) => g.set(s.positions));
  fromSummary("liqdesk_accounts", "Accounts by margin status", ["status"], (g, s) => {
    for (const status of LIVE_STATUSES) g.set({ status }, s.byStatus[status]);
  });
  fromSummary("liqdesk_liquidation_queue_size", "Accounts in the liquidation queue by plan mode", ["mode"], (g, s) => {
    for (const mode of QUEUE_MODES) g.set({ mode }, s.queue.byMode[mode]);
  });
  fromSummary("liqdesk_liquidation_queue_paused", "Queue entries paused (stale price, step beyond the book's depth, failed execution)", [], (g, s) => g.set(s.queue.paused));
  fromSummary("liqdesk_stale_markets", "Markets without a fresh price", [], (g, s) => g.set(s.staleMarkets.length));
  new Gauge({
    name: "liqdesk_socket_clients", help: "Connected socket clients by room kind", labelNames: ["room"], registers,
    collect() {
      const clients = source.find()?.health.socketClients();
      for (const room of ROOM_KINDS) this.set({ room }, clients?.[room] ?? 0);
    },
  });
  new Gauge({
    name: "liqdesk_socket_send_buffer_bytes",
    help: "Bytes held in this process for socket clients, not yet written to their connections: all clients, and the client holding most",
    labelNames: ["of"], registers,
    collect() {
      const backlog = source.find()?.health.socketSendBacklog() ?? { bytes: 0, largest: 0 };
      this.set({ of: "all" }, backlog.bytes);
      this.set({ of: "largest" }, backlog.largest);
    },
  });
  new Gauge({
    name: "liqdesk_margin_snapshot_backlog", help: "Margin snapshot rows of the flush in progress not yet committed", registers,
    collect() {
      this.set(source.find()?.health.snapshotLag().backlog ?? 0);
    },
  });
  new Gauge({
    name: "liqdesk_margin_snapshot_age_seconds", help: "Seconds since the last margin snapshot flush finished", registers,
    collect() {
      this.set(source.find()?.health.snapshotLag().ageSeconds ?? 0);
    },
  });
}
