import type { MarginCallsResponse, MarginCallUpdate, MarginCallView } from "@/lib/contracts/margin-calls";

/**
 * One call as the newer of two versions. A call only ever moves from open to closed (met,
 * expired, cancelled), so a closed version is never replaced by an open one: a poll answered
 * just after a push of the call's close must not show it open again. Between two open versions
 * (credits so far grow) or two closed ones (the same close), the later one.
 */
export function newerCall(a: MarginCallView | undefined, b: MarginCallView): MarginCallView {
  if (!a) return b;
  if (a.state !== "open" && b.state === "open") return a;
  return b;
}

/** The calls of `incoming` with each call kept at its newest (`newerCall`) of what `current` had, newest issued first. */
export function mergeMarginCalls(current: MarginCallsResponse | undefined, incoming: MarginCallsResponse): MarginCallsResponse {
  if (!current || current.accountId !== incoming.accountId) return incoming;
  const known = new Map(current.calls.map((c) => [c.id, c]));
  const calls = incoming.calls.map((c) => newerCall(known.get(c.id), c));
  // A call pushed after the poll's answer was read (issued since) is kept until the next poll names it.
  for (const c of current.calls) if (!calls.some((k) => k.id === c.id) && c.issuedAt > incoming.serverTime - 60_000) calls.push(c);
  return { ...incoming, calls: sortCalls(calls) };
}

/** The list after a pushed call: added or brought to its newest version. */
export function withCallUpdate(current: MarginCallsResponse | undefined, update: MarginCallUpdate): MarginCallsResponse | undefined {
  if (!current || current.accountId !== update.accountId) return current;
  const at = current.calls.findIndex((c) => c.id === update.call.id);
  const calls = at < 0 ? [update.call, ...current.calls] : current.calls.map((c, i) => (i === at ? newerCall(c, update.call) : c));
  return { ...current, calls: sortCalls(calls) };
}

function sortCalls(calls: MarginCallView[]): MarginCallView[] {
  return calls.sort((a, b) => b.issuedAt - a.issuedAt || Number(BigInt(b.id) - BigInt(a.id)));
}

/** The account's open call, if any (at most one is open). */
export function openCallOf(calls: readonly MarginCallView[]): MarginCallView | null {
  return calls.find((c) => c.state === "open") ?? null;
}
