import "server-only";
import type { MarketsResponse } from "@/lib/contracts/markets";
import type { DeskSnapshot } from "@/lib/contracts/desk";
import type { AccountView } from "@/lib/contracts/book-views";
import type { Services } from "../services/services";
import type { FeedSources } from "../feeds/open-feeds";
import type { LeaderClient } from "./leader-client";

/** The socket feeds' sources on an instance that runs the engine from the start (no cluster): its own services. */
export function localFeedSources(services: Services): FeedSources {
  return {
    snapshots: { marketsSnapshot: () => services.markets.snapshot(), deskSnapshot: () => services.desk.snapshot() },
    views: { accountView: (accountId, now) => services.accounts.view(accountId, now) },
  };
}

/**
 * What the sockets of an instance are served from: this instance's services while it leads, the
 * leader's (over HTTP) while it follows. The socket feeds ask it (lib/server/feeds/open-feeds.ts).
 */
export class LiveSource {
  private services: Services | null = null;

  constructor(private readonly leader: LeaderClient) {}

  lead(services: Services): void {
    this.services = services;
  }

  marketsSnapshot(): MarketsResponse | Promise<MarketsResponse> {
    return this.services ? this.services.markets.snapshot() : this.leader.marketsSnapshot();
  }

  deskSnapshot(): DeskSnapshot | Promise<DeskSnapshot> {
    return this.services ? this.services.desk.snapshot() : this.leader.deskSnapshot();
  }

  accountView(accountId: string, now: number): Promise<AccountView | null> {
    return this.services ? this.services.accounts.view(accountId, now) : this.leader.accountView(accountId);
  }
}
