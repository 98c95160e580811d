import type { AccountDetail } from "@/lib/contracts/desk";
import type { AccountView } from "@/lib/contracts/book-views";

/** A live view of an account and when the engine was asked for it. */
export interface LiveView {
  view: AccountView;
  serverTime: number;
}

/**
 * One account's page has one live view: the newest it has been given, whichever way it came (the
 * server render and the 2 s poll of the account's history, the socket's push, a top-up's answer).
 * The poll keeps its history, ledger and events, but an older view than one pushed since does not
 * replace it (else the page would go back in time for a moment: "healthy, 0 positions" then
 * "bankrupt" again). `serverTime` is when the engine was asked for the view.
 */
export function newestAccountView(detail: AccountDetail, live: LiveView | undefined): AccountDetail {
  if (!live || live.serverTime <= detail.serverTime) return detail;
  return { ...detail, view: live.view, serverTime: live.serverTime };
}

/** The newer of two live views (a push that arrives after a newer one is dropped). */
export function newerLiveView(current: LiveView | undefined, next: LiveView): LiveView {
  return current && current.serverTime > next.serverTime ? current : next;
}
