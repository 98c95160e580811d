import "server-only";
import type { MarketsResponse } from "@/lib/contracts/markets";
import type { AccountView, DeskSnapshot } from "@/lib/contracts/desk";
import type { Runtime } from "../runtime";
import type { LeaderClient } from "./leader-client";

/**
 * What the sockets of an instance are served from: this instance's runtime while it leads, the
 * leader's (over HTTP) while it follows. The socket feeds ask it (lib/server/feeds/open-feeds.ts).
 */
export class LiveSource {
  private runtime: Runtime | null = null;

  constructor(private readonly leader: LeaderClient) {}

  lead(runtime: Runtime): void {
    this.runtime = runtime;
  }

  marketsSnapshot(): MarketsResponse | Promise<MarketsResponse> {
    return this.runtime ? this.runtime.marketsSnapshot() : this.leader.marketsSnapshot();
  }

  deskSnapshot(): DeskSnapshot | Promise<DeskSnapshot> {
    return this.runtime ? this.runtime.deskSnapshot() : this.leader.deskSnapshot();
  }

  accountView(accountId: string, now: number): Promise<AccountView | null> {
    return this.runtime ? this.runtime.engine.client.accountView(accountId, now) : this.leader.accountView(accountId);
  }
}
