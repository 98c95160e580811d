import "server-only";
import type { Env } from "./env";
import type { Logger } from "./logger";
import type { PrismaClient } from "./db/prisma-client";
import type { PriceUpdate } from "@/lib/engine";
import type { RiskParams } from "@/lib/risk";
import { LiveMarkets, type MarketInfo } from "./markets/live-markets";
import { parsePriceBatch, persistPriceTicks, type IngestPricesResult } from "./ingest/ingest-prices";
import { ingestCollateral, ingestFunding, parsePositionBatch, persistPositionBatch, type IngestDeps } from "./ingest/ingest-service";
import { createIngestRecorder, type IngestRecorder } from "./ingest/ingest-recorder";
import { LiveEngine } from "./live-engine";
import { MarginSnapshotter } from "./margin-snapshotter";
import { SerialQueue } from "./serial-queue";
import type { LiveFeeds } from "./feeds/open-feeds";
import { DeskStream } from "./feeds/desk-stream";
import { MarketsStream } from "./feeds/markets-stream";
import type { DeskRiskParams } from "@/lib/contracts/desk";
import { marketParamsOf } from "./market-params-of";
import { serverMetrics, type IngestKind } from "./metrics";
import { WhatIfs } from "./what-ifs";
import type { Services } from "./services/services";
import { AccountsService } from "./services/accounts";
import { AuditService } from "./services/audit";
import { DeskService } from "./services/desk";
import { HealthService } from "./services/health";
import { MarketsService } from "./services/markets";
import { SessionsService } from "./services/sessions";
import { AlertsService } from "./services/alerts";
import { AlertProducers } from "./alerts/alert-producers";
import { WebhooksService } from "./services/webhooks";
import { WebhookDispatcher } from "./webhooks/dispatcher";
import { WebhookAdmin } from "./webhooks/webhook-admin";
import { loadMarketMarks, markHistory, repairFutureDatedPrices, saveMarketMarks } from "./persistence/market-marks";
import { MarginCalls } from "./margin-calls/margin-calls";
import { MarginCallsService } from "./services/margin-calls";
import { pushMarginCall } from "./feeds/margin-call-push";
import { AlertsEngine } from "./alerts/alerts-engine";
import { MarketReload } from "./markets/market-reload";
import { enginePositionsOf, type MovedIsolatedPosition as IsolatedPositionState } from "./ingest/isolated-margin-moves";

/** How often marks are re-derived without a tick, so that a silent source turns stale on time. */
const STALENESS_CHECK_MS = 1000;
const HISTORY_RESTORE_MINUTES = 5;

/** Counts a committed ingest of `items` items and the time from its receipt to its commit. */
function committed(kind: IngestKind, items: number, receivedAt: number): void {
  const metrics = serverMetrics();
  metrics.ingestItems.inc({ kind }, items);
  metrics.ingestCommitSeconds.observe({ kind }, (Date.now() - receivedAt) / 1000);
}

/** What `Runtime.create` may be given besides the configuration. */
export interface RuntimeOptions {
  /** The markets and desk streams' deltas are numbered after it (an instance taking over the engine passes a number above its predecessor's: docs/SCALING.md). */
  seqBase?: number;
  /** Risk parameters of spec §6 laid over the defaults: what the engine, the top-up preview and the pages all run with. */
  riskParams?: Partial<RiskParams>;
  /** Where market imports are announced (docs/MARKETS-IMPORT.md): the engine follows them live. Without it, only a restart reads changed markets. */
  databaseUrl?: string;
}

/**
 * The live side of one Liqdesk process: the database, the live marks, the engine worker and the
 * streams its socket feeds publish. Data flows one way: ingest → PostgreSQL (committed) → engine → feeds.
 * It keeps all of these to itself and hands out `services` (lib/server/services/): routes and pages
 * call those, by what they do; they never reach the engine or the database through the runtime,
 * and never compute risk themselves.
 */
export class Runtime {
  private readonly startedAt = Date.now();
  private feeds: LiveFeeds | null = null;
  /** Stops the account feed following this engine's change sets. */
  private unfollowAccounts: (() => void) | null = null;
  /** The write of computed marks in flight (one at a time). */
  private savingMarks: Promise<void> | null = null;
  private stalenessTimer: NodeJS.Timeout | null = null;
  /** Account-changing writes, one at a time: the engine hears them in commit order. */
  private readonly accountWrites = new SerialQueue();
  private readonly deps: IngestDeps;
  private readonly deskStream: DeskStream;
  private readonly marketsStream: MarketsStream;
  /** What-ifs and stress runs: off the main thread, within per-user and server-wide limits. */
  private readonly whatIfs: WhatIfs;
  /** The desk's alerts, and the producers of the markets' and the fund's (docs/ALERTS.md). */
  private readonly alerts: AlertsService;
  private readonly alertProducers: AlertProducers;
  /** Margin calls: met by credits (after each collateral write) or health (change sets), expired at their deadline. */
  private readonly marginCalls: MarginCalls;
  /** Alert events to webhooks (docs/WEBHOOKS.md): only where the engine runs, off the request path. */
  private readonly webhooks: WebhookDispatcher;
  /** What routes, pages, the socket feeds and the server's own start-up steps call. */
  readonly services: Services;
  /**
   * The alert rules the engine evaluates and the writing of their signals (docs/alerts-engine.md):
   * the alerts service calls `reloadAlertRules()` after every rule change.
   */
  readonly alertsEngine: AlertsEngine;
  /** Markets changed in PostgreSQL (`npm run markets -- import`) applied to the engine without a restart. */
  private readonly marketReload: MarketReload;

  private constructor(
    private readonly env: Env,
    private readonly log: Logger,
    private readonly prisma: PrismaClient,
    private readonly markets: LiveMarkets,
    private readonly engine: LiveEngine,
    private readonly lotSizes: Map<string, number>,
    private readonly recorder: IngestRecorder | null,
    private readonly snapshotter: MarginSnapshotter,
    seqBase: number,
  ) {
    this.deps = { prisma, markets: (id) => (lotSizes.has(id) ? { lotSize: lotSizes.get(id)! } : undefined), recorder };
    this.deskStream = new DeskStream(engine, prisma, log, this.riskParams(), seqBase);
    this.marketsStream = new MarketsStream(markets, seqBase);
    this.whatIfs = new WhatIfs(env, prisma);
    this.alerts = new AlertsService({ prisma, log, marketExists: (id) => markets.has(id) });
    this.alertProducers = new AlertProducers(this.alerts, {
      prisma, log, staleAfterMs: env.LIQDESK_STALE_AFTER_MS,
      marketStates: () => markets.views(Date.now()).map((m) => ({ marketId: m.id, stale: m.stale, markTs: m.markTs })),
    });
    this.marginCalls = new MarginCalls({
      prisma, log, env,
      accountView: (accountId, now) => engine.client.accountView(accountId, now),
      preview: (accountId) => this.services.accounts.previewTopUp(accountId, {}),
      changes: (listener) => engine.onChanges(listener),
      alertsRaised: (transitions) => this.alerts.announce(transitions),
    });
    this.webhooks = WebhookDispatcher.fromEnv(prisma, log, env);
    this.webhooks.onAlerts((transitions) => this.alerts.announce(transitions));
    // The engine's account and queue rules: written (and pushed to the inbox) by the one writer of
    // alerts, as every producer's; a rule the desk changes is given to the engine again.
    this.alertsEngine = new AlertsEngine(prisma, engine.client, log, (signals, keepTrying) => this.alerts.apply(signals, { untilWritten: keepTrying }));
    this.alerts.setRulesChangedHook(() => this.alertsEngine.reloadAlertRules().then(() => undefined));
    this.marketReload = new MarketReload({ prisma, log, engine, markets, lotSizes, serialize: (task) => this.accountWrites.run(task),
      published: (ids) => this.refreshMarks(ids) });
    this.services = this.buildServices();
  }

  private buildServices(): Services {
    const { engine, prisma, env } = this;
    const riskParams = () => this.riskParams();
    const accountView = (accountId: string, now: number) => engine.client.accountView(accountId, now);
    return {
      accounts: new AccountsService(engine.client, {
        prisma, env, accountView, marketBook: engine.marketBook, riskParams,
        writeCollateral: (write) => this.writeCollateral(write),
      }, riskParams),
      desk: new DeskService(engine.client, prisma, this.deskStream, (id) => this.markets.has(id), riskParams),
      markets: new MarketsService(this.marketsStream, env.LIQDESK_STALE_AFTER_MS),
      audit: new AuditService(prisma),
      whatIfs: this.whatIfs,
      ingest: {
        prices: (body) => this.ingestPrices(body),
        positions: (body) => this.ingestPositions(body),
        collateral: (body) => this.ingestCollateral(body),
        funding: (body) => this.ingestFunding(body),
      },
      health: new HealthService(this.startedAt, prisma, this.snapshotter, {
        clients: () => this.feeds?.transport.clientsByRoomKind() ?? { desk: 0, markets: 0, account: 0 },
        sendBacklog: () => this.feeds?.transport.sendBacklog() ?? { bytes: 0, largest: 0 },
      }),
      sessions: new SessionsService(prisma, env),
      alerts: this.alerts,
      marginCalls: new MarginCallsService(this.marginCalls),
      webhooks: new WebhooksService(new WebhookAdmin(prisma, this.webhooks), () => this.webhooks.settings()),
      log: this.log,
    };
  }

  /** Loads markets, prices, a few minutes of marks and every account from PostgreSQL. */
  static async create(env: Env, log: Logger, prisma: PrismaClient, options: RuntimeOptions = {}): Promise<Runtime> {
    const rows = await prisma.market.findMany({ orderBy: { id: "asc" } });
    const infos: MarketInfo[] = rows.map((m) => ({
      id: m.id, baseAsset: m.baseAsset, tickSize: m.tickSize.toNumber(), lotSize: m.lotSize.toNumber(),
    }));
    const markets = new LiveMarkets(infos, env.LIQDESK_STALE_AFTER_MS);
    const startedAt = Date.now();
    const repaired = await repairFutureDatedPrices(prisma, startedAt, env.LIQDESK_MAX_CLOCK_SKEW_MS);
    if (repaired.prices + repaired.marks > 0) {
      log.warn({ ...repaired, maxClockSkewMs: env.LIQDESK_MAX_CLOCK_SKEW_MS },
        "state dated ahead of the clock repaired: source prices dropped, persisted marks dated now");
    }
    const byMarket = await markHistory(prisma, startedAt, HISTORY_RESTORE_MINUTES);
    const persisted = new Map((await loadMarketMarks(prisma)).map((m) => [m.marketId, m]));
    for (const info of infos) markets.restoreMark(info.id, persisted.get(info.id) ?? null, byMarket.get(info.id) ?? []);
    for (const p of await prisma.latestPrice.findMany()) {
      if (markets.has(p.marketId)) {
        // Received when it was written (server clock); never later than now.
        markets.restore(p.marketId, p.source, p.price.toNumber(), p.ts.getTime(), Math.min(p.updatedAt.getTime(), startedAt));
      }
    }
    const now = Date.now();
    const marks = markets.marketIds().flatMap((id) => {
      const u = markets.refresh(id, now);
      return u && u.mark !== null ? [{ marketId: id, price: u.mark, stale: u.stale }] : [];
    });
    const engine = await LiveEngine.start({ prisma, log, markets: rows.map(marketParamsOf), params: options.riskParams }, marks);
    const recorder = env.LIQDESK_RECORD_FILE
      ? createIngestRecorder(env.LIQDESK_RECORD_FILE, (error) => log.error({ err: error }, "ingest recording failed"))
      : null;
    const snapshotter = new MarginSnapshotter(engine, prisma, log);
    const runtime = new Runtime(env, log, prisma, markets, engine, new Map(infos.map((m) => [m.id, m.lotSize])), recorder, snapshotter, options.seqBase ?? 0);
    try {
      // The book is built: every account is evaluated once against the rules and the store's unresolved alerts.
      await runtime.alertsEngine.start();
    } catch (error) {
      await engine.stop();
      await recorder?.close();
      throw error;
    }
    await runtime.startAlerts();
    if (options.databaseUrl) await runtime.marketReload.listen(options.databaseUrl);
    await runtime.marginCalls.start();
    snapshotter.start(env.LIQDESK_SNAPSHOT_MS);
    runtime.stalenessTimer = setInterval(() => {
      runtime.refreshMarks(runtime.markets.marketIds());
      void runtime.saveMarks();
    }, STALENESS_CHECK_MS);
    if (env.LIQDESK_EXECUTION === "on") runtime.startExecutor();
    if (env.LIQDESK_WEBHOOKS === "on") runtime.webhooks.start();
    return runtime;
  }

  /** The alert rules loaded, the producers reconciled (raise what holds, clear what does not), then fed as things change. */
  private async startAlerts(): Promise<void> {
    await this.alerts.start();
    this.engine.onStep((event, step) => this.alertProducers.onStep(event, step));
    this.deskStream.onRunway((fund) => this.alertProducers.onRunway(fund));
  }

  /** The streams publish to this instance's feeds from now on. */
  async attachFeeds(feeds: LiveFeeds): Promise<void> {
    this.feeds = feeds;
    this.alerts.attach((change) => feeds.alerts.publish(change));
    this.unfollowAccounts = feeds.accounts.follow((listener) => this.engine.onChanges(listener));
    this.marginCalls.publishTo((update) => pushMarginCall(feeds.transport.io, update));
    this.marketsStream.start((delta) => feeds.markets.publish(delta));
    await this.deskStream.start((delta) => feeds.desk.publish(delta));
  }

  /** The risk parameters of spec §6 the engine runs with, and §7's staleness limit: the one source of both. */
  private riskParams(): DeskRiskParams {
    return { ...this.engine.params, staleAfterMs: this.env.LIQDESK_STALE_AFTER_MS };
  }

  /** The price ingest path, shared by the HTTP API and the simulator. */
  private async ingestPrices(body: unknown): Promise<IngestPricesResult> {
    const receivedAt = Date.now();
    const batch = parsePriceBatch(body, (id) => this.markets.has(id), { now: receivedAt, maxClockSkewMs: this.env.LIQDESK_MAX_CLOCK_SKEW_MS });
    const result = await persistPriceTicks(this.prisma, batch.source, batch.ticks, receivedAt);
    committed("prices", batch.ticks.length, receivedAt);
    this.recorder?.record("prices", batch);
    for (const t of batch.ticks) this.markets.applyPrice(t.marketId, batch.source, t.price, t.ts, receivedAt);
    this.refreshMarks(result.marketIds, receivedAt);
    return result;
  }

  /**
   * Positions: persisted (committed), then the engine gets each position's new state.
   * Only the commit and the hand-over to the engine hold the account-write queue: a batch's parsing
   * runs before it (overlapping another batch's commit), and the engine's answer is awaited after it
   * (the worker takes its messages in the order they were posted, which is commit order).
   */
  private async ingestPositions(body: unknown) {
    const receivedAt = Date.now();
    const batch = parsePositionBatch(body);
    let engineApplied: Promise<unknown> = Promise.resolve();
    const result = await this.accountWrites.run(async () => {
      const persisted = await persistPositionBatch(this.deps, batch);
      committed("positions", persisted.applied.length + persisted.ignored, receivedAt);
      if (persisted.applied.length) {
        engineApplied = this.engine.client.applyPositions(enginePositionsOf(persisted.applied));
      }
      return persisted;
    });
    await engineApplied;
    return result;
  }

  /** Collateral: persisted (committed), then the engine gets each moved account's balance. */
  private async ingestCollateral(body: unknown) {
    const receivedAt = Date.now();
    const result = await this.accountWrites.run(async () => {
      const result = await ingestCollateral(this.deps, body);
      committed("collateral", result.applied.length + result.replayed, receivedAt);
      if (result.balances.length) {
        await this.engine.client.applyCollateral(result.balances.map((b) => ({ accountId: b.accountId, amount: Number(b.collateral) })));
      }
      // Spec §11: the isolated positions whose margin moved, in full (their margin is their collateral).
      if (result.isolatedPositions.length) await this.engine.client.applyPositions(enginePositionsOf(result.isolatedPositions));
      return result;
    });
    // Committed deposits may meet a margin call (counted from the ledger: a replay adds nothing).
    await this.marginCalls.creditsCommitted(result.applied.filter((a) => a.kind === "deposit").map((a) => a.accountId));
    return result;
  }

  /**
   * A collateral write made outside the ingest API (manual top-ups, lib/server/topup): runs in turn
   * with the other account writes, then the engine gets the balances it returns. Counted as one top-up.
   */
  private async writeCollateral<T>(write: () => Promise<{ result: T; balances: { accountId: string; collateral: string }[]; positions?: IsolatedPositionState[] }>): Promise<T> {
    const receivedAt = Date.now();
    let moved: string[] = [];
    const result = await this.accountWrites.run(async () => {
      const { result, balances, positions = [] } = await write();
      committed("topup", 1, receivedAt);
      if (balances.length) await this.engine.client.applyCollateral(balances.map((b) => ({ accountId: b.accountId, amount: Number(b.collateral) })));
      if (positions.length) await this.engine.client.applyPositions(enginePositionsOf(positions)); // margin added (spec §11)
      moved = balances.map((b) => b.accountId);
      return result;
    });
    // A committed top-up may meet a margin call, before the answer: the trader's page sees it met with its top-up.
    await this.marginCalls.creditsCommitted(moved);
    return result;
  }

  /** Funding (spec §7): ledger entries persisted, then the engine gets each holder's balance. */
  private ingestFunding(body: unknown) {
    const receivedAt = Date.now();
    return this.accountWrites.run(async () => {
      const result = await ingestFunding(this.deps, body, { now: receivedAt, maxClockSkewMs: this.env.LIQDESK_MAX_CLOCK_SKEW_MS });
      committed("funding", 1, receivedAt);
      if (result.deltas.length) {
        await this.engine.client.applyCollateral(result.deltas.map((d) => ({ accountId: d.accountId, amount: Number(d.balanceAfter) })));
      }
      return result;
    });
  }

  /** The simulated venue: due steps execute through the same serial path as other account writes. */
  private startExecutor(): void {
    this.engine.startExecutor(this.env.LIQDESK_EXECUTOR_INTERVAL_MS, (task) => this.accountWrites.run(task));
  }

  /** `receivedAt`: when the ticks behind these marks arrived (absent for the staleness check). */
  private refreshMarks(marketIds: string[], receivedAt?: number): void {
    const now = Date.now();
    const engineMarks: PriceUpdate[] = [];
    for (const id of marketIds) {
      const update = this.markets.refresh(id, now);
      if (!update) continue;
      this.marketsStream.publish(update, receivedAt);
      this.alertProducers.onMark(update);
      if (update.mark !== null) engineMarks.push({ marketId: id, price: update.mark, stale: update.stale });
    }
    if (engineMarks.length) {
      const revalued = serverMetrics().engineRevaluationSeconds.startTimer();
      this.engine.client.applyPrices(engineMarks).then(
        () => void revalued(),
        (error: unknown) => this.log.error({ err: error }, "engine rejected marks"),
      );
    }
  }

  /**
   * Keeps the marks computed since the last call durably (spec §7: a restart starts from them, with
   * their age). Called once a second and at stop; one write at a time, a failed one logged and retried
   * with the next.
   */
  private saveMarks(): Promise<void> {
    if (this.savingMarks) return this.savingMarks;
    const marks = this.markets.takeComputedMarks();
    if (marks.length === 0) return Promise.resolve();
    this.savingMarks = saveMarketMarks(this.prisma, marks)
      .catch((error: unknown) => {
        this.markets.returnComputedMarks(marks);
        this.log.error({ err: error }, "saving the last marks failed");
      })
      .finally(() => {
        this.savingMarks = null;
      });
    return this.savingMarks;
  }

  /** Stops timers and the engine; every queued account write finishes first. */
  async stop(): Promise<void> {
    if (this.stalenessTimer) clearInterval(this.stalenessTimer);
    this.stalenessTimer = null;
    await this.webhooks.stop();
    await this.marketReload.stop();
    await this.savingMarks;
    await this.saveMarks();
    this.unfollowAccounts?.();
    this.unfollowAccounts = null;
    this.marketsStream.stop();
    await this.deskStream.stop();
    await this.marginCalls.stop();
    await this.snapshotter.stop();
    await this.accountWrites.idle();
    this.alertProducers.stop();
    await this.alertsEngine.stop();
    await this.alerts.stop();
    await this.whatIfs.stop();
    await this.engine.stop();
    await this.recorder?.close();
  }
}
