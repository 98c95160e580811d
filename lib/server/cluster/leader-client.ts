import "server-only";
import type { MarketsResponse } from "@/lib/contracts/markets";
import type { DeskSnapshot } from "@/lib/contracts/desk";
import type { AccountView } from "@/lib/contracts/book-views";
import { CLUSTER_HEADER } from "./cluster-secret";
import type { LeaderLocator } from "./engine-leader";
import { INTERNAL_PREFIX } from "./internal-api";

const TIMEOUT_MS = 3000;

/** A follower's reads of the leader's live state (lib/server/cluster/internal-api.ts answers them). */
export class LeaderClient {
  constructor(private readonly locator: LeaderLocator, private readonly secret: string) {}

  private async get<T>(path: string): Promise<T> {
    const leader = await this.locator.current();
    if (!leader) throw new Error("no instance runs the engine right now");
    try {
      const res = await fetch(new URL(`${INTERNAL_PREFIX}${path}`, leader), {
        headers: { [CLUSTER_HEADER]: this.secret }, signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      if (res.status !== 200) throw new Error(`the leader answered ${res.status}: ${await res.text()}`);
      return (await res.json()) as T;
    } catch (error) {
      this.locator.forget();
      throw error;
    }
  }

  marketsSnapshot(): Promise<MarketsResponse> {
    return this.get("/markets");
  }

  deskSnapshot(): Promise<DeskSnapshot> {
    return this.get("/desk");
  }

  async accountView(accountId: string): Promise<AccountView | null> {
    return (await this.get<{ view: AccountView | null }>(`/account-view?id=${encodeURIComponent(accountId)}`)).view;
  }
}
