import { z } from "zod";
import type { AccountStatus, LiveStatus } from "@/lib/risk/account-status";
import { textSchema } from "@/lib/contracts/text";
import { topUpAmountSchema } from "@/lib/contracts/topup";
import { describeValue, expected } from "@/lib/contracts/zod-issues";

/**
 * Margin calls: the desk asks an account's trader for collateral — an amount (USD) by a deadline,
 * with a message (docs/MARGIN-CALLS.md). One home for their wire shapes: the requests, the view
 * both pages show, and the socket event that pushes a call the moment it is issued or closes.
 */

export const MARGIN_CALL_STATES = ["open", "met", "expired", "cancelled"] as const;
export type MarginCallState = (typeof MARGIN_CALL_STATES)[number];

/** Why a call closed: met by deposits and top-ups, met by the account becoming healthy, its deadline, the desk. */
export type MarginCallCloseReason = "credits" | "healthy" | "deadline" | "desk";

/** The longest message a call may carry, in characters. */
export const MARGIN_CALL_MESSAGE_MAX = 1000;
/** The longest note on a cancel, in characters. */
export const MARGIN_CALL_NOTE_MAX = 500;
/** The furthest deadline a call may have: 30 days after it is issued, in ms. */
export const MARGIN_CALL_MAX_DEADLINE_MS = 30 * 86_400_000;

/** A time: ms since the epoch, or an ISO 8601 date-time with its offset ("2026-12-07T14:30:00Z"). Read as ms. */
const instantSchema = z
  .union([z.number(), z.string()], { error: expected("a time (ms since the epoch, or an ISO 8601 date-time with its offset)") })
  .transform((value, ctx) => {
    const fail = () => {
      ctx.addIssue({ code: "custom", message: `must be a time: ms since the epoch, or an ISO 8601 date-time with its offset like "2026-12-07T14:30:00Z" (got ${describeValue(value)})` });
      return z.NEVER;
    };
    if (typeof value === "number") return Number.isSafeInteger(value) && value > 0 ? value : fail();
    if (!z.iso.datetime({ offset: true }).safeParse(value).success) return fail();
    const ms = Date.parse(value);
    return Number.isFinite(ms) ? ms : fail();
  });

/** A message or note: text of at most `max` characters, not blank; kept trimmed. */
const wordsSchema = (max: number) =>
  textSchema(max, { min: 0 }).refine((v) => v.trim().length > 0, { error: "must not be empty or blank" }).transform((v) => v.trim());

/** An id of this API's (a bigint, as a string of digits). */
const idText = z.string({ error: expected("an id (a string of digits)") }).regex(/^\d{1,19}$/, { error: "must be an id (a string of digits)" });

/**
 * `POST /api/v1/accounts/:id/margin-calls`. `amount` defaults to what the top-up-to-safe computes
 * (the least whole cent that makes the account healthy). The server also refuses, naming the field:
 * a deadline not in the future or more than 30 days ahead, an amount above the largest top-up, an
 * alert about another account, and an account that is not in danger (`accountId`).
 */
export const issueMarginCallSchema = z.object({
  amount: topUpAmountSchema.optional(),
  deadline: instantSchema,
  message: wordsSchema(MARGIN_CALL_MESSAGE_MAX),
  /** The alert the desk issues it from. */
  alertId: idText.optional(),
}, { error: expected("a JSON object") });
export type IssueMarginCallRequest = z.infer<typeof issueMarginCallSchema>;

/** `POST /api/v1/accounts/:id/margin-calls/:callId/cancel`: the desk says why. */
export const cancelMarginCallSchema = z.object({ note: wordsSchema(MARGIN_CALL_NOTE_MAX) }, { error: expected("a JSON object") });

/** A margin call as the desk's account page and the trader's page show it. Amounts are exact decimal strings, USD. */
export interface MarginCallView {
  id: string;
  accountId: string;
  state: MarginCallState;
  amount: string;
  /** What the top-up-to-safe computed when it was issued (null when the account had no such amount). */
  suggestedAmount: string | null;
  message: string;
  /** ms since the epoch. */
  deadline: number;
  issuedAt: number;
  /** The desk user who issued it, as they were then. */
  issuer: { name: string; email: string };
  /** The alert it was issued from. */
  alertId: string | null;
  /** The account when it was issued. */
  statusAtIssue: AccountStatus;
  ratioAtIssue: number | null;
  /** Deposits and top-ups since it was issued: so far while open, at its close once closed. */
  credited: string;
  /** What is still asked for: amount − credited, at least 0; 0 once met (by credits or by health). */
  remaining: string;
  closedAt: number | null;
  /** "system", or the desk user who cancelled it (email). */
  closedBy: string | null;
  closeReason: MarginCallCloseReason | null;
  closeNote: string | null;
  /** The escalation alert its expiry raised. */
  expiryAlertId: string | null;
}

/** What a new call on the account would ask now (the desk's form), from the top-up preview at current marks. */
export interface MarginCallSuggestion {
  /** Warning or worse, or flat in debt: a call may be issued. */
  inDanger: boolean;
  /** The tier-aware top-up-to-safe (the least whole cent that makes it healthy; a flat account's debt), USD; null when not in danger. */
  amount: string | null;
  status: LiveStatus;
  marginRatio: number | null;
  /** Why no call can be issued now (not in danger, figures unknown), else null. */
  reason: string | null;
  serverTime: number;
}

/** `GET /api/v1/accounts/:id/margin-calls`: the account's calls, newest first (the open one, if any, among them). */
export interface MarginCallsResponse {
  accountId: string;
  calls: MarginCallView[];
  /** The desk only (null for a trader, or an account the engine does not know). */
  suggestion: MarginCallSuggestion | null;
  serverTime: number;
}

/** The socket event `account:margin-call` (rooms `account:<id>` and `desk`): a call issued or closed. */
export interface MarginCallUpdate {
  accountId: string;
  call: MarginCallView;
  serverTime: number;
}
