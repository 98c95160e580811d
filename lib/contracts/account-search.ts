import { querySchema } from "@/lib/contracts/query";
import type { AccountRow } from "@/lib/contracts/book-views";
import { textSchema } from "@/lib/contracts/text";

/** At most this many accounts in one search answer. */
export const ACCOUNT_SEARCH_LIMIT = 20;

/** `GET /api/v1/search?q=` (desk): a part of an account id or of an owner's e-mail, 1–128 characters. */
export const accountSearchQuerySchema = querySchema({
  q: textSchema(128),
});

/**
 * Why an account is in the answer, best first: its id is the query, an owner's e-mail is the
 * query, its id starts with it, an owner's e-mail starts with it, its id contains it, an owner's
 * e-mail contains it (case-insensitive, every one).
 */
export const SEARCH_MATCHES = ["id", "email", "id-prefix", "email-prefix", "id-part", "email-part"] as const;
export type SearchMatch = (typeof SEARCH_MATCHES)[number];

export interface AccountSearchHit {
  readonly accountId: string;
  readonly match: SearchMatch;
  /** The e-mails of the users bound to the account, in order; empty when none is. */
  readonly owners: string[];
  /** The engine's live row (status, margin ratio, figures); `null` for an account bound to a user that the venue has sent no data for yet. */
  readonly row: AccountRow | null;
}

export interface AccountSearchResult {
  readonly q: string;
  /** The best `ACCOUNT_SEARCH_LIMIT` matches, best first (`SEARCH_MATCHES` order, then shorter ids, then by id). */
  readonly items: AccountSearchHit[];
  /** Accounts whose id matches, over the whole book. */
  readonly idMatches: number;
  /** Accounts bound to a user whose e-mail matches (counted up to `OWNER_MATCH_CAP`). */
  readonly ownerMatches: number;
  /** More accounts match than `items` holds. */
  readonly truncated: boolean;
}
