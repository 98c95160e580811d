import "server-only";
import type { MarginCallsResponse, MarginCallView } from "@/lib/contracts/margin-calls";
import type { Principal, UserPrincipal } from "../auth/policy";
import type { MarginCalls } from "../margin-calls/margin-calls";

/**
 * Margin calls from the desk to an account's trader (docs/MARGIN-CALLS.md): issued and cancelled by
 * the desk, listed for the desk and for the account's owner (the routes' policy decides who may
 * ask); met, expired and pushed by the runtime's `MarginCalls`.
 */
export class MarginCallsService {
  constructor(private readonly calls: MarginCalls) {}

  /** Issues a call: 400 naming the field, 404 no such account, 409 one is open already or the figures are unknown. */
  issue(user: UserPrincipal, accountId: string, body: unknown): Promise<MarginCallView> {
    return this.calls.issue(user, accountId, body);
  }

  /** The account's calls, newest first; the desk also gets what a new call would ask. */
  list(principal: Principal, accountId: string): Promise<MarginCallsResponse> {
    return this.calls.list(accountId, principal.kind === "user" && principal.role === "desk");
  }

  /** Cancels an open call with the desk's note: 404 no such call on the account, 409 not open. */
  cancel(user: UserPrincipal, accountId: string, callId: string, body: unknown): Promise<MarginCallView> {
    return this.calls.cancel(user, accountId, callId, body);
  }
}
