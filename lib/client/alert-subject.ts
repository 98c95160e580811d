import type { AlertView, DeskUserView } from "@/lib/contracts/alerts";

/** What an alert is about, in words, and the account it opens (Enter, the link), if any. */
export function alertSubject(a: Pick<AlertView, "subject" | "accountId" | "marketId">): { label: string; accountId: string | null } {
  const [kind, ...rest] = a.subject.split(":");
  const id = rest.join(":");
  switch (kind) {
    case "account": return { label: id, accountId: a.accountId ?? id };
    case "market": return { label: `market ${id}`, accountId: null };
    case "fund": return { label: a.accountId ? `fund · ${a.accountId}` : "insurance fund", accountId: a.accountId };
    case "queue": return { label: "liquidation queue", accountId: null };
    case "margin_call": return { label: `margin call ${id}${a.accountId ? ` · ${a.accountId}` : ""}`, accountId: a.accountId };
    case "webhook": return { label: `webhook ${id}`, accountId: null };
    default: return { label: a.subject, accountId: a.accountId };
  }
}

/** A stored actor ("system", "user:<id>" or a bare user id) as the desk reads it: the user's email when known. */
export function actorName(actor: string | null, users: ReadonlyMap<string, DeskUserView>): string {
  if (actor === null) return "—";
  if (actor === "system") return "system";
  const id = actor.startsWith("user:") ? actor.slice(5) : actor;
  return users.get(id)?.email ?? `user ${id}`;
}

/** Whether an alert is snoozed at `now`. */
export function isSnoozed(a: Pick<AlertView, "snoozedUntil" | "state">, now: number): boolean {
  return a.state !== "resolved" && a.snoozedUntil !== null && a.snoozedUntil > now;
}
