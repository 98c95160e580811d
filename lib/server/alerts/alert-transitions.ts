import type { AlertEventKind } from "@/lib/contracts/alerts";
import type { AlertTransitions } from "./alert-store";

/** One alert that changed: what happened to it (an `alert_events` kind), its rule and subject. */
export interface AlertTransition {
  readonly id: string;
  readonly kind: AlertEventKind;
  readonly ruleId: string;
  readonly subject: string;
}

/** `applyAlertSignals`' answer as a list of transitions (raised first, then resolved). */
export function transitionsOf(t: AlertTransitions): AlertTransition[] {
  return [
    ...t.raised.map((r) => ({ ...r, kind: "raised" as const })),
    ...t.resolved.map((r) => ({ ...r, kind: "resolved" as const })),
  ];
}
