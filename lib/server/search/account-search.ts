import "server-only";
import { parseInput } from "@/lib/contracts/api-error";
import {
  ACCOUNT_SEARCH_LIMIT, SEARCH_MATCHES, accountSearchQuerySchema, type AccountSearchHit, type AccountSearchResult, type SearchMatch,
} from "@/lib/contracts/account-search";
import type { AccountRow } from "@/lib/contracts/book-views";
import type { EngineClient } from "@/lib/engine";
import type { PrismaClient } from "../db/prisma-client";
import { accountsByOwnerEmail, ownersOf } from "./account-owners";

/** Accounts found by an owner's e-mail are read up to this many (a user bound to more is rare; the answer says `truncated`). */
export const OWNER_MATCH_CAP = 200;

const rankOf = (m: SearchMatch): number => SEARCH_MATCHES.indexOf(m);

/** How `accountId` matches `q` (both compared lower-cased), or null. */
export function idMatchOf(accountId: string, q: string): SearchMatch | null {
  const id = accountId.toLowerCase();
  const needle = q.toLowerCase();
  const at = id.indexOf(needle);
  return at < 0 ? null : at > 0 ? "id-part" : id.length === needle.length ? "id" : "id-prefix";
}

/**
 * `GET /api/v1/search?q=`: the accounts whose id contains `q` (one pass over the engine's ids) or
 * that are bound to a user whose e-mail contains it (PostgreSQL, `%` and `_` literal), whatever
 * the desk's table filters; each with its owners' e-mails and the engine's live row. Best match
 * first: exact id, exact e-mail, id prefix, e-mail prefix, id part, e-mail part; then shorter ids,
 * then by id. A bad `q` is a 400 naming `q`.
 */
export async function searchAccounts(engine: EngineClient, prisma: PrismaClient, query: unknown): Promise<AccountSearchResult> {
  const { q } = parseInput(accountSearchQuerySchema, query);
  const [byId, byEmail] = await Promise.all([engine.searchIds(q, ACCOUNT_SEARCH_LIMIT), accountsByOwnerEmail(prisma, q, OWNER_MATCH_CAP)]);
  const found = new Map<string, { match: SearchMatch; row: AccountRow | null | undefined }>();
  for (const hit of byId.hits) found.set(hit.row.accountId, { match: idMatchOf(hit.row.accountId, q)!, row: hit.row });
  let ownerOnly = 0;
  for (const { accountId, match } of byEmail) {
    // An account may match by id too (beyond the engine's best few): its better match counts.
    const idMatch = idMatchOf(accountId, q);
    if (idMatch === null) ownerOnly++;
    const best = idMatch !== null && rankOf(idMatch) < rankOf(match) ? idMatch : match;
    const held = found.get(accountId);
    if (!held || rankOf(best) < rankOf(held.match)) found.set(accountId, { match: best, row: held?.row });
  }
  const ranked = [...found.entries()]
    .sort(([a, x], [b, y]) => rankOf(x.match) - rankOf(y.match) || a.length - b.length || (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, ACCOUNT_SEARCH_LIMIT);
  const missing = ranked.filter(([, v]) => v.row === undefined).map(([id]) => id);
  const [rows, owners] = await Promise.all([
    missing.length > 0 ? engine.accountRows(missing) : Promise.resolve([]),
    ownersOf(prisma, ranked.map(([id]) => id)),
  ]);
  const rowOf = new Map(missing.map((id, i) => [id, rows[i] ?? null]));
  const items: AccountSearchHit[] = ranked.map(([accountId, v]) => ({
    accountId, match: v.match, owners: owners.get(accountId) ?? [], row: v.row ?? rowOf.get(accountId) ?? null,
  }));
  const total = byId.total + ownerOnly;
  return { q, items, idMatches: byId.total, ownerMatches: byEmail.length, truncated: total > items.length || byEmail.length >= OWNER_MATCH_CAP };
}
