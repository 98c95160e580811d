import type { AccountDetail } from "@/lib/contracts/desk";

/**
 * One account's page has one live view: the newest one the page has been given, whichever way it
 * came (the server render, a poll, a socket push, a top-up's answer). A poll that answers after a
 * newer push keeps its history, ledger and events but not its older view (else the page would go
 * back in time for a moment: "healthy, 0 positions" then "bankrupt" again). `serverTime` is when
 * the engine was asked for the view.
 */
export function newestAccountView(previous: AccountDetail | undefined, next: AccountDetail): AccountDetail {
  if (!previous || previous.serverTime <= next.serverTime) return next;
  return { ...next, view: previous.view, serverTime: previous.serverTime };
}
