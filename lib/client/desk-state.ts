import type { DeskSnapshot } from "@/lib/contracts/desk";

/**
 * The desk as the browser keeps it: the server's snapshot plus when its queue was last sent
 * (cool-downs count down from there). Built only by `deskStateOf` / `applyDeskDelta`.
 */
export interface DeskState extends DeskSnapshot {
  /** `serverTime` of the snapshot or delta that carried the current queue. */
  queueTs: number;
}

export function deskStateOf(snapshot: DeskSnapshot): DeskState {
  return { ...snapshot, queueTs: snapshot.serverTime };
}
