/**
 * Who may see and do what: the one policy that route handlers (guard.ts), pages (page-access.ts)
 * and the socket feeds (lib/server/feeds) consult. Pure: a principal and a rule in, a decision out.
 *
 * 401 = no valid credential of the kind the endpoint takes (not signed in, no or a bad token);
 * 403 = a valid credential that is not allowed (a trader on the desk's API or on someone else's
 * account). A session never opens the ingest API and an ingest token never opens the rest.
 */
import { accountOfRoom, accountRoom, ALERTS_ROOM, DESK_ROOM, MARKETS_ROOM } from "@/lib/contracts/socket-events";

export type Role = "desk" | "trader";

export type Principal =
  | { readonly kind: "anonymous" }
  | {
      readonly kind: "user";
      readonly userId: string;
      readonly email: string;
      readonly name: string;
      readonly role: Role;
      /** The margin accounts a trader is bound to (empty for the desk, who sees every account). */
      readonly accountIds: readonly string[];
    }
  | { readonly kind: "ingest"; readonly tokenName: string }
  | { readonly kind: "scrape" };

export type UserPrincipal = Extract<Principal, { kind: "user" }>;

/** The credential an endpoint takes. */
export type Credential = "none" | "session" | "ingest" | "scrape";

export type AccessRule =
  | { readonly credential: "none" }
  | { readonly credential: "ingest" }
  | { readonly credential: "scrape" }
  /** `deskOrOwner`: the desk, or a trader bound to the account the request names. */
  | { readonly credential: "session"; readonly allow: "signedIn" | "desk" | "trader" | "deskOrOwner" };

/** The rules by name, as the HTTP API table of DESIGN.md uses them. */
export const access = {
  open: { credential: "none" },
  ingest: { credential: "ingest" },
  scrape: { credential: "scrape" },
  signedIn: { credential: "session", allow: "signedIn" },
  desk: { credential: "session", allow: "desk" },
  trader: { credential: "session", allow: "trader" },
  deskOrOwner: { credential: "session", allow: "deskOrOwner" },
} as const satisfies Record<string, AccessRule>;

export type Decision =
  | { readonly ok: true }
  | { readonly ok: false; readonly status: 401 | 403; readonly code: "unauthorized" | "forbidden"; readonly message: string };

const UNAUTHORIZED: Record<Exclude<Credential, "none">, string> = {
  session: "sign in first (POST /api/auth/sign-in/email, or /sign-in in a browser)",
  ingest: "an ingest token is required: Authorization: Bearer lqd_… (npm run token -- create NAME)",
  scrape: "a scrape token is required: Authorization: Bearer <LIQDESK_METRICS_TOKEN>",
};

function deny(status: 401 | 403, message: string): Decision {
  return { ok: false, status, code: status === 401 ? "unauthorized" : "forbidden", message };
}

/** Whether a principal holds the credential a rule takes. */
function holds(principal: Principal, credential: Credential): boolean {
  switch (credential) {
    case "none": return true;
    case "session": return principal.kind === "user";
    case "ingest": return principal.kind === "ingest";
    case "scrape": return principal.kind === "scrape";
  }
}

/** May this user read and top up this margin account? The desk: any; a trader: the ones bound to them. */
export function canUseAccount(principal: Principal, accountId: string): boolean {
  if (principal.kind !== "user") return false;
  return principal.role === "desk" || principal.accountIds.includes(accountId);
}

/**
 * The decision for `principal` under `rule`; `accountId` is the account the request names (for
 * `deskOrOwner`; undefined when it names none, which only the desk may do).
 */
export function decide(principal: Principal, rule: AccessRule, accountId?: string): Decision {
  if (rule.credential === "none") return { ok: true };
  if (!holds(principal, rule.credential)) return deny(401, UNAUTHORIZED[rule.credential]);
  if (rule.credential !== "session" || principal.kind !== "user") return { ok: true };
  switch (rule.allow) {
    case "signedIn":
      return { ok: true };
    case "desk":
      return principal.role === "desk" ? { ok: true } : deny(403, "this is the risk desk's: your role is trader");
    case "trader":
      return principal.role === "trader" ? { ok: true } : deny(403, "this is for traders: the desk uses /desk");
    case "deskOrOwner":
      if (principal.role === "desk") return { ok: true };
      if (accountId === undefined) return deny(403, "name one of your accounts (accountId)");
      return canUseAccount(principal, accountId) ? { ok: true } : deny(403, `account "${accountId}" is not yours`);
  }
}

/** A connection's socket rooms, as `socketRooms` decides them. */
export interface SocketRooms {
  /** The rooms it is put in on its own: the desk the desk, markets and alerts rooms, a trader markets and their accounts' rooms. */
  readonly given: readonly string[];
  /** Whether it may be in `room`: one it was given, or (when it asks) the room of an account it may use. */
  mayJoin(room: string): boolean;
}

/**
 * Every socket room decision (room names: lib/contracts/socket-events.ts): computed by the server,
 * never named by a client. An account's room follows `canUseAccount`, as the HTTP API does.
 */
export function socketRooms(principal: Principal): SocketRooms {
  const given = principal.kind !== "user" ? []
    : principal.role === "desk" ? [DESK_ROOM, MARKETS_ROOM, ALERTS_ROOM]
    : [MARKETS_ROOM, ...principal.accountIds.map(accountRoom)];
  return {
    given,
    mayJoin(room) {
      const accountId = accountOfRoom(room);
      return accountId === null ? given.includes(room) : canUseAccount(principal, accountId);
    },
  };
}
