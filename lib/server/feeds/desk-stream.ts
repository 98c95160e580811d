import "server-only";
import { ROOM_PUSH_INTERVAL_MS } from "./pacer";
import { applyQueueChanges } from "@/lib/contracts/apply-queue-changes";
import type { ChangeSet } from "@/lib/engine";
import type { QueuePageChanges } from "@/lib/contracts/book-views";
import { DESK_HEARTBEAT_MS, FEED_EVENTS, QUEUE_ROWS, type DeskDelta, type DeskRiskParams, type DeskSnapshot, type DeskSummary, type InsuranceFundView, type LiquidationEventView } from "@/lib/contracts/desk";
import type { Page, QueueEntry, RatioHistogram } from "@/lib/contracts/book-views";
import type { PrismaClient } from "../db/prisma-client";
import type { Logger } from "../logger";
import type { LiveEngine } from "../live-engine";
import { insuranceFundBalance } from "../execution/insurance-fund";
import { recentLiquidationEvents } from "../liquidation-events";
import { DeltaStream } from "./delta-stream";

/** The histogram covers every account: recomputed at most once a second. */
const HISTOGRAM_MS = 1000;
/**
 * The book's summary (totals over the queue, counts, the debt list) at most twice a second: the
 * board redraws it on its 500 ms beat (DESK_BEAT) whatever comes, and read at every push (up to 10
 * a second under a busy feed) it was ~15% of the engine worker on the tick-to-dom book, whose
 * queue row and ratio wait for that worker. An executed step (the fund moved) still goes at once.
 */
const SUMMARY_MS = 500;
/** The fund's runway runs the stress model over the whole book: every 30 s at most. */
const RUNWAY_MS = 30_000;

/** The stream as its clients hold it after the last delta (a snapshot serves exactly this, numbered with that delta). */
interface Published {
  serverTime: number;
  summary: DeskSummary;
  /** When `summary` was last known current (≤ serverTime: it is paced). */
  summaryTs: number;
  histogram: RatioHistogram;
  /** When `histogram` was last known current (≤ serverTime: it is paced). */
  histogramTs: number;
  queue: Page<QueueEntry>;
  /** `serverTime` of the delta that last changed the queue: its cool-downs are measured then. */
  queueTs: number;
  events: LiquidationEventView[];
}

const EMPTY_QUEUE: Page<QueueEntry> = { total: 0, offset: 0, limit: QUEUE_ROWS, items: [] };

/**
 * The desk room's stream: watches the engine's change sets and executed steps and turns them into
 * numbered DeskDeltas (numbered and paced as every stream is: delta-stream.ts), carrying only
 * what changed: the summary, the histogram (at most
 * once a second, computed in the engine), the queue's first rows as row changes (at the
 * flush after a change set touched the queue, only when those rows changed), new executed steps; and an empty delta (a heartbeat) when
 * nothing else went out for DESK_HEARTBEAT_MS, sent only once the engine has answered, so that a
 * client can show honestly how old its data is.
 *
 * It keeps the state its deltas add up to: a snapshot is that state at the last `seq`, so that a
 * client resyncing from it applies the next delta exactly.
 */
export class DeskStream {
  private readonly out: DeltaStream<DeskDelta>;
  private published: Published | null = null;
  private dirty = { summary: false, queue: false, histogram: false, fund: false };
  /** The engine's queue diff lost a result (a push failed): the next queue part restarts from nothing. */
  private queueReset = false;
  private readonly newEvents: LiquidationEventView[] = [];
  private histogramTs = 0;
  private summaryTs = 0;
  private fund: InsuranceFundView = { balance: "0", uncoveredBadDebt: "0", coversMove: null, coversMoveTs: null, coversMoveUnknownAccounts: null };
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private runwayTimer: NodeJS.Timeout | null = null;
  private readonly unsubscribe: (() => void)[] = [];
  private readonly runwayListeners = new Set<(fund: InsuranceFundView) => void>();

  constructor(
    private readonly engine: LiveEngine,
    private readonly prisma: PrismaClient,
    private readonly log: Logger,
    private readonly riskParams: DeskRiskParams,
    /** The first delta's seq is one more (an engine taking over continues above its predecessor's numbers). */
    seqBase = 0,
  ) {
    this.out = new DeltaStream(seqBase, ROOM_PUSH_INTERVAL_MS, (now) => this.flush(now));
  }

  /** Reads the desk's state, then sends its deltas to `send`. */
  async start(send: (delta: DeskDelta) => void): Promise<void> {
    const events = await recentLiquidationEvents(this.prisma, { limit: FEED_EVENTS });
    await this.refreshFund();
    const now = Date.now();
    const [book, queue, histogram] = await Promise.all([
      this.engine.client.summary(),
      this.engine.client.queueChanges(now, QUEUE_ROWS, true),
      this.engine.client.histogram(),
    ]);
    this.histogramTs = now;
    this.summaryTs = now;
    this.published = {
      serverTime: now, summary: { book, fund: this.fund }, summaryTs: now, histogram, histogramTs: now,
      queue: (queue && applyQueueChanges(EMPTY_QUEUE, queue, 0)) ?? EMPTY_QUEUE, queueTs: now, events,
    };
    this.out.start(send);
    this.unsubscribe.push(this.engine.onChanges((c) => this.onChanges(c)));
    this.unsubscribe.push(this.engine.onStep((e) => {
      this.newEvents.push(e);
      this.dirty.fund = true;
      this.schedule();
    }));
    const runway = () => void this.refreshRunway().catch((error: unknown) => this.log.error({ err: error }, "fund runway failed"));
    runway();
    this.runwayTimer = setInterval(runway, RUNWAY_MS);
    this.heartbeatTimer = setInterval(() => {
      if (this.published && Date.now() - this.published.serverTime >= DESK_HEARTBEAT_MS) this.schedule();
    }, DESK_HEARTBEAT_MS / 4);
  }

  private onChanges(changes: ChangeSet): void {
    if (changes.summaryChanged) this.dirty.summary = true;
    if (changes.queueAdded || changes.queueRemoved || changes.queueChanged) this.dirty.queue = true;
    if (changes.accounts) this.dirty.histogram = true;
    this.schedule();
  }

  private schedule(): void {
    this.out.request();
  }

  /** Paced by `out`: never two at once, at most one per ROOM_PUSH_INTERVAL_MS. */
  private async flush(now: number): Promise<void> {
    const published = this.published;
    if (!published) return;
    let askedQueue = false;
    try {
      const dirty = this.dirty;
      this.dirty = { summary: false, queue: false, histogram: false, fund: false };
      const heartbeat = now - published.serverTime >= DESK_HEARTBEAT_MS;
      // The heartbeat asks the engine too (for the queue): it goes out only if the engine answers.
      const queueDue = dirty.queue || this.queueReset || heartbeat;
      const histogramDue = dirty.histogram && now - this.histogramTs >= HISTOGRAM_MS;
      if (dirty.histogram && !histogramDue) this.dirty.histogram = true;
      const summaryDue = dirty.fund || (dirty.summary && now - this.summaryTs >= SUMMARY_MS);
      if (dirty.summary && !summaryDue) this.dirty.summary = true;
      if (dirty.fund) await this.refreshFund();
      const reset = this.queueReset;
      askedQueue = queueDue;
      const [book, queue, histogram] = await Promise.all([
        summaryDue ? this.engine.client.summary() : undefined,
        queueDue ? this.engine.client.queueChanges(now, QUEUE_ROWS, reset) : undefined,
        histogramDue ? this.engine.client.histogram() : undefined,
      ]);
      if (queueDue) this.queueReset = false;
      if (histogramDue) this.histogramTs = now;
      if (summaryDue) this.summaryTs = now;
      const events = this.newEvents.length ? this.newEvents.splice(0).reverse() : undefined;
      if (book || histogram || queue || events || heartbeat) {
        this.out.emit((seq) => {
          const delta: DeskDelta = { seq, serverTime: now };
          if (book) delta.summary = { book, fund: this.fund };
          // A part the book changed but that was not due is current only as of its last computation.
          else if (dirty.summary) delta.summaryTs = published.summaryTs;
          if (histogram) delta.histogram = histogram;
          else if (dirty.histogram) delta.histogramTs = published.histogramTs;
          if (queue) delta.queue = queue;
          if (events) delta.events = events;
          return this.apply(delta, queue ?? null);
        });
      }
      if (this.dirty.histogram || this.dirty.summary) this.schedule();
    } catch (error) {
      // The engine may have moved its queue diff past a result that never went out.
      if (askedQueue) this.queueReset = true;
      this.log.error({ err: error }, "desk push failed");
    }
  }

  /** Applies a delta to the published state (the delta goes out in the same turn); throws when its queue changes do not fit. */
  private apply(delta: DeskDelta, queue: QueuePageChanges | null): DeskDelta {
    const p = this.published!;
    let page = p.queue;
    if (queue) {
      const next = applyQueueChanges(p.queue, queue, delta.serverTime - p.queueTs);
      if (!next) throw new Error("queue changes do not fit the published queue");
      page = next;
    }
    this.published = {
      serverTime: delta.serverTime,
      summary: delta.summary ?? p.summary,
      summaryTs: delta.summaryTs ?? delta.serverTime,
      histogram: delta.histogram ?? p.histogram,
      histogramTs: delta.histogramTs ?? delta.serverTime,
      queue: page,
      queueTs: queue ? delta.serverTime : p.queueTs,
      events: delta.events ? [...delta.events, ...p.events].slice(0, FEED_EVENTS) : p.events,
    };
    return delta;
  }

  private async refreshFund(): Promise<void> {
    const [balance, [bad]] = await Promise.all([
      insuranceFundBalance(this.prisma),
      this.prisma.$queryRaw<{ uncovered: string }[]>`
        SELECT trim_scale(coalesce(-sum(amount), 0))::text AS uncovered FROM insurance_fund_ledger WHERE kind = 'uncovered_bad_debt'`,
    ]);
    this.fund = { ...this.fund, balance, uncoveredBadDebt: bad?.uncovered ?? "0" };
  }

  private async refreshRunway(): Promise<void> {
    const { coversMove, unknownAccounts } = await this.engine.client.fundRunway(Number(this.fund.balance));
    this.fund = { ...this.fund, coversMove, coversMoveTs: Date.now(), coversMoveUnknownAccounts: unknownAccounts };
    this.dirty.summary = true;
    this.schedule();
    for (const listener of this.runwayListeners) listener(this.fund);
  }

  /** Each computation of the fund's runway, as it is made (the fund alerts: lib/server/alerts/fund-alerts.ts). */
  onRunway(listener: (fund: InsuranceFundView) => void): () => void {
    this.runwayListeners.add(listener);
    return () => this.runwayListeners.delete(listener);
  }

  /** The insurance fund as last read (balance after every executed step, runway every 30 s). */
  fundView(): InsuranceFundView {
    return this.fund;
  }

  /**
   * The desk state as of the last delta (`seq`), cool-downs measured at its `serverTime`: what a
   * client holds after applying every delta so far. Throws before `start`.
   */
  snapshot(): DeskSnapshot {
    const p = this.published;
    if (!p) throw new Error("the desk feed has not started");
    const queue = applyQueueChanges(p.queue, { total: p.queue.total, upserts: [], removed: [] }, p.serverTime - p.queueTs)!;
    return {
      seq: this.out.seq(), serverTime: p.serverTime, summaryTs: p.summaryTs, histogramTs: p.histogramTs,
      riskParams: this.riskParams, summary: p.summary, histogram: p.histogram, queue, events: p.events,
    };
  }

  async stop(): Promise<void> {
    this.out.stop();
    if (this.runwayTimer) clearInterval(this.runwayTimer);
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.runwayTimer = null;
    this.heartbeatTimer = null;
    for (const u of this.unsubscribe) u();
  }
}
