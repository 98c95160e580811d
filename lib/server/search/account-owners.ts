import "server-only";
import type { PrismaClient } from "../db/prisma-client";

/** A search string as a literal inside a LIKE pattern: `\`, `%` and `_` escaped (with `ESCAPE '\'`). */
export function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The e-mails of the users bound to each account (`user_accounts`), in e-mail order; an account without one is absent. One query. */
export async function ownersOf(prisma: PrismaClient, accountIds: readonly string[]): Promise<Map<string, string[]>> {
  const owners = new Map<string, string[]>();
  if (accountIds.length === 0) return owners;
  const rows = await prisma.$queryRaw<{ account_id: string; email: string }[]>`
    SELECT ua.account_id, u.email FROM user_accounts ua JOIN users u ON u.id = ua.user_id
    WHERE ua.account_id = ANY(${[...new Set(accountIds)]}::text[]) ORDER BY ua.account_id, u.email`;
  for (const r of rows) {
    const list = owners.get(r.account_id);
    if (list) list.push(r.email);
    else owners.set(r.account_id, [r.email]);
  }
  return owners;
}

/** How an owner's e-mail matches: the whole e-mail, its start, or inside it. */
export type EmailMatch = "email" | "email-prefix" | "email-part";

/**
 * The accounts bound to a user whose e-mail contains `q` (case-insensitive; `%`, `_` and `\` in
 * `q` are literal), best match first (whole e-mail, start, inside), then by account id: at most
 * `cap` accounts, each once with its best match.
 */
export async function accountsByOwnerEmail(prisma: PrismaClient, q: string, cap: number): Promise<{ accountId: string; match: EmailMatch }[]> {
  const literal = likeLiteral(q);
  const rows = await prisma.$queryRaw<{ account_id: string; rank: number }[]>`
    SELECT ua.account_id, min(CASE WHEN lower(u.email) = lower(${q}) THEN 0
                                   WHEN u.email ILIKE ${`${literal}%`} ESCAPE '\\' THEN 1 ELSE 2 END)::int AS rank
    FROM users u JOIN user_accounts ua ON ua.user_id = u.id
    WHERE u.email ILIKE ${`%${literal}%`} ESCAPE '\\'
    GROUP BY ua.account_id ORDER BY rank, ua.account_id LIMIT ${cap}`;
  const matches: EmailMatch[] = ["email", "email-prefix", "email-part"];
  return rows.map((r) => ({ accountId: r.account_id, match: matches[r.rank]! }));
}
