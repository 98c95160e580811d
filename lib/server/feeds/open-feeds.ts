import "server-only";
import type { Server as HttpServer } from "node:http";
import { AccountFeed, type AccountViewSource } from "./account-feed";
import { AlertsFeed } from "./alerts-feed";
import { StreamFeed, type SnapshotOf } from "./stream-feed";
import { FeedTransport, type TransportDeps } from "./transport";

/**
 * Where an instance's feeds read: this process's runtime (answers in the same turn) or, on a
 * follower, the leader (lib/server/cluster/live-source.ts). Snapshots throw (or reject) while
 * their stream has not started.
 */
export interface FeedSources {
  snapshots: {
    marketsSnapshot(): SnapshotOf<"markets"> | Promise<SnapshotOf<"markets">>;
    deskSnapshot(): SnapshotOf<"desk"> | Promise<SnapshotOf<"desk">>;
  };
  views: AccountViewSource;
}

/** This instance's socket feeds: the transport, and the feeds the runtime's streams publish to. */
export interface LiveFeeds {
  readonly transport: FeedTransport;
  readonly markets: StreamFeed<"markets">;
  readonly desk: StreamFeed<"desk">;
  /** Follows the engine's change sets where the engine runs (Runtime `attachFeeds`). */
  readonly accounts: AccountFeed;
  /** The desk's alerts (`alerts:changed`), published where the engine runs (Runtime `attachFeeds`). */
  readonly alerts: AlertsFeed;
}

/**
 * The socket side of the server: one transport on `httpServer`, and one feed per stream, in the
 * order a joining client gets them (markets, desk, account views). Call `transport.start()` when
 * the server is about to listen, `transport.close()` at shutdown.
 */
export function openFeeds(httpServer: HttpServer, sources: FeedSources, deps: TransportDeps): LiveFeeds {
  const transport = new FeedTransport(httpServer, deps);
  const markets = transport.register(new StreamFeed(transport.io, "markets", () => sources.snapshots.marketsSnapshot()));
  const desk = transport.register(new StreamFeed(transport.io, "desk", () => sources.snapshots.deskSnapshot()));
  const accounts = transport.register(new AccountFeed(transport.io, sources.views));
  const alerts = transport.register(new AlertsFeed(transport.io));
  return { transport, markets, desk, accounts, alerts };
}
