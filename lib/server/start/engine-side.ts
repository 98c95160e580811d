import type { Env } from "../env";
import type { Logger } from "../logger";
import type { Database } from "../database";
import { Runtime } from "../runtime";
import type { Services } from "../services/services";
import { setServices } from "../services/services-registry";
import type { LiveFeeds } from "../feeds/open-feeds";
import { checkDatabase } from "../check-database";
import { EngineLock } from "../cluster/engine-lock";
import { LeaderLocator, recordLeader } from "../cluster/engine-leader";
import { clusterSecret } from "../cluster/cluster-secret";
import { LeaderClient } from "../cluster/leader-client";
import { LiveSource } from "../cluster/live-source";
import { setClusterState } from "../cluster/cluster-registry";
import type { Shutdown } from "./shutdown";

/** What an instance among several (REDIS_URL) needs to reach the others (docs/SCALING.md). */
export interface ClusterLinks {
  /** The secret instances prove themselves to each other with. */
  peerSecret: string;
  /** Where the others reach this instance. */
  internalUrl: string;
  locator: LeaderLocator;
  /** The socket feeds' sources: this instance's services while it leads, the leader's over HTTP before. */
  live: LiveSource;
}

/** The cluster links with REDIS_URL; null for a single instance. */
export function clusterLinks(config: Env, db: Database, authSecret: string): ClusterLinks | null {
  if (config.REDIS_URL === undefined) return null;
  const peerSecret = clusterSecret(authSecret);
  const locator = new LeaderLocator(db.prisma);
  return {
    peerSecret, locator,
    internalUrl: config.LIQDESK_INTERNAL_URL ?? `http://127.0.0.1:${config.PORT}`,
    live: new LiveSource(new LeaderClient(locator, peerSecret)),
  };
}

/**
 * The live runtime of this process, or the standby waiting for it. One instance: the engine runs
 * here from the start. Several (REDIS_URL): it runs where the engine lock is held; the others
 * forward to it and wait for the lock (`standBy`).
 */
export class EngineSide {
  private runtime: Runtime | null = null;
  private takeover: Promise<void> | null = null;

  private constructor(
    private readonly config: Env,
    private readonly log: Logger,
    private readonly db: Database,
    private readonly lock: EngineLock | null,
  ) {}

  static async open(config: Env, log: Logger, db: Database, shutdown: Shutdown): Promise<EngineSide> {
    const several = config.REDIS_URL !== undefined;
    const lock = several ? new EngineLock(db.url, log, (reason) => {
      // Fencing: another instance may take the lock any moment now. Nothing acknowledged is lost by
      // exiting (every answer follows its commit); a supervisor starts this instance again as a standby.
      log.fatal({ reason }, "lost the engine lock: exiting at once so that two engines never run together");
      process.exit(1);
    }) : null;
    if (lock) shutdown.add("engine lock", () => lock.release());
    const side = new EngineSide(config, log, db, lock);
    shutdown.add("engine", async () => {
      await side.takeover?.catch(() => undefined);
      await side.runtime?.stop();
    });
    if (!several) side.runtime = await Runtime.create(config, log, db.prisma, { databaseUrl: db.url });
    return side;
  }

  /** This instance's services while it runs the engine; null on a standby. */
  services(): Services | null {
    return this.runtime?.services ?? null;
  }

  /** The runtime's streams publish to `feeds`, and routes and pages find its services from now on (no-op on a standby). */
  async attach(feeds: LiveFeeds): Promise<void> {
    if (!this.runtime) return;
    await this.runtime.attachFeeds(feeds);
    setServices(this.runtime.services);
  }

  /**
   * A standby: answers health as one, waits for the engine lock, then takes the engine over (its
   * deltas numbered above its predecessor's) and records itself as the leader. The services once
   * it leads; null when the process stops first.
   */
  async standBy(cluster: ClusterLinks, feeds: LiveFeeds, shutdown: Shutdown): Promise<Services | null> {
    const { config, log, db } = this;
    setClusterState({
      role: () => (this.runtime ? "leader" : "standby"),
      leaderUrl: async () => (this.runtime ? cluster.internalUrl : cluster.locator.current()),
      checkDatabase: () => checkDatabase(db.prisma),
      startedAt: Date.now(),
    });
    void cluster.locator.current().then((leader) => log.info({ leader, internalUrl: cluster.internalUrl }, "standby: waiting for the engine lock"));
    const backendPid = await this.lock!.acquire();
    if (backendPid === null || shutdown.stopping) return null;
    this.takeover = (async () => {
      const started = performance.now();
      // Deltas are numbered by the clock from here on: above every number the previous leader sent.
      const seqBase = Date.now();
      const rt = await Runtime.create(config, log, db.prisma, { seqBase, databaseUrl: db.url });
      this.runtime = rt;
      cluster.live.lead(rt.services);
      await rt.attachFeeds(feeds);
      setServices(rt.services);
      await recordLeader(db.prisma, cluster.internalUrl, backendPid);
      log.info({ internalUrl: cluster.internalUrl, ms: Math.round(performance.now() - started) }, "took over the engine: this instance is the leader");
    })();
    await this.takeover;
    return shutdown.stopping ? null : this.runtime!.services;
  }
}
