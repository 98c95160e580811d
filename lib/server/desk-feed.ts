import "server-only";
import type { ChangeSet } from "@/lib/engine";
import {
  FEED_EVENTS, QUEUE_ROWS, type DeskDelta, type DeskSnapshot, type DeskSummary, type InsuranceFundView, type LiquidationEventView,
  type RatioHistogram,
} from "@/lib/contracts/desk";
import type { PrismaClient } from "./db/prisma-client";
import type { Logger } from "./logger";
import type { LiveEngine } from "./live-engine";
import { fundRunway, ratioHistogram } from "./desk-analytics";
import { insuranceFundBalance } from "./execution/insurance-fund";
import { eventView, recentLiquidationEvents } from "./liquidation-events";

/** At most one desk push per this interval (DESIGN: ≤ 10 updates per second per room). */
const FLUSH_MS = 100;
/** The histogram covers every account: recomputed at most once a second. */
const HISTOGRAM_MS = 1000;
/** The fund's runway runs the stress model over the whole book: every 30 s at most. */
const RUNWAY_MS = 30_000;

/**
 * The desk room's stream: watches the engine's change sets and executed steps, and turns them
 * into numbered DeskDeltas, coalesced, carrying only the parts that changed.
 */
export class DeskFeed {
  private seq = 0;
  private dirty = { summary: false, queue: false, histogram: false, fund: false };
  private readonly newEvents: LiquidationEventView[] = [];
  private events: LiquidationEventView[] = [];
  private histogram: RatioHistogram | null = null;
  private histogramTs = 0;
  private fund: InsuranceFundView = { balance: "0", uncoveredBadDebt: "0", coversMove: null, coversMoveTs: null };
  private timer: NodeJS.Timeout | null = null;
  private runwayTimer: NodeJS.Timeout | null = null;
  private flushing = false;
  private readonly unsubscribe: (() => void)[] = [];
  private emit: ((delta: DeskDelta) => void) | null = null;

  constructor(private readonly engine: LiveEngine, private readonly prisma: PrismaClient, private readonly log: Logger) {}

  async start(emit: (delta: DeskDelta) => void): Promise<void> {
    this.emit = emit;
    this.events = await recentLiquidationEvents(this.prisma, { limit: FEED_EVENTS });
    await this.refreshFund();
    this.unsubscribe.push(this.engine.onChanges((c) => this.onChanges(c)));
    this.unsubscribe.push(this.engine.onStep((e) => {
      this.newEvents.push(eventView(e));
      this.dirty.fund = true;
      this.schedule();
    }));
    const runway = () => void this.refreshRunway().catch((error: unknown) => this.log.error({ err: error }, "fund runway failed"));
    runway();
    this.runwayTimer = setInterval(runway, RUNWAY_MS);
  }

  private onChanges(changes: ChangeSet): void {
    if (changes.summaryChanged) this.dirty.summary = true;
    if (changes.queueAdded.length || changes.queueRemoved.length || changes.queueChanged.length) this.dirty.queue = true;
    if (changes.accounts.length) this.dirty.histogram = true;
    this.schedule();
  }

  private schedule(): void {
    if (this.timer || !this.emit) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, FLUSH_MS);
  }

  private async flush(): Promise<void> {
    if (this.flushing) return this.schedule();
    this.flushing = true;
    try {
      const now = Date.now();
      const dirty = this.dirty;
      this.dirty = { summary: false, queue: false, histogram: false, fund: false };
      const delta: DeskDelta = { seq: 0, serverTime: now };
      if (dirty.fund) await this.refreshFund();
      if (dirty.summary || dirty.fund) delta.summary = await this.summary();
      if (dirty.queue) delta.queue = await this.engine.client.queue(now, 0, QUEUE_ROWS);
      if (dirty.histogram) {
        if (now - this.histogramTs >= HISTOGRAM_MS) delta.histogram = await this.computeHistogram(now);
        else this.dirty.histogram = true; // not yet: keep it for a later push
      }
      if (this.newEvents.length) {
        delta.events = this.newEvents.splice(0).reverse();
        this.events = [...delta.events, ...this.events].slice(0, FEED_EVENTS);
      }
      if (Object.keys(delta).length > 2) {
        this.seq += 1;
        this.emit?.({ ...delta, seq: this.seq });
      }
      if (this.dirty.histogram) this.schedule();
    } catch (error) {
      this.log.error({ err: error }, "desk push failed");
    } finally {
      this.flushing = false;
    }
  }

  private async summary(): Promise<DeskSummary> {
    return { book: await this.engine.client.summary(), fund: this.fund };
  }

  private async computeHistogram(now: number): Promise<RatioHistogram> {
    const rows = await this.engine.client.atRisk({ limit: Number.MAX_SAFE_INTEGER });
    this.histogram = ratioHistogram(rows.items);
    this.histogramTs = now;
    return this.histogram;
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
    const snapshot = await this.engine.client.snapshot();
    const coversMove = fundRunway(snapshot, Number(this.fund.balance));
    this.fund = { ...this.fund, coversMove, coversMoveTs: Date.now() };
    this.dirty.summary = true;
    this.schedule();
  }

  /** The insurance fund as last read (balance after every executed step, runway every 30 s). */
  fundView(): InsuranceFundView {
    return this.fund;
  }

  /** The whole desk state now, as new as the last delta pushed (or newer). */
  async snapshot(): Promise<DeskSnapshot> {
    const seq = this.seq;
    const now = Date.now();
    const [summary, queue, histogram] = await Promise.all([
      this.summary(),
      this.engine.client.queue(now, 0, QUEUE_ROWS),
      this.histogram && now - this.histogramTs < HISTOGRAM_MS ? this.histogram : this.computeHistogram(now),
    ]);
    return { seq, serverTime: now, summary, histogram, queue, events: this.events };
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    if (this.runwayTimer) clearInterval(this.runwayTimer);
    this.timer = null;
    this.runwayTimer = null;
    this.emit = null;
    for (const u of this.unsubscribe) u();
  }
}
