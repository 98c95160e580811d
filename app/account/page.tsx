import type { Metadata } from "next";
import { connection } from "next/server";
import { notFound } from "next/navigation";
import { TraderAccountView } from "@/components/account/trader-account-view";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { TopBar } from "@/components/ui/top-bar";
import { QueryState } from "@/components/ui/query-state";
import { requirePage } from "@/lib/server/auth/page-access";
import { isNotFound } from "@/lib/server/errors";
import { pageServices } from "@/lib/server/services/services-registry";

export const metadata: Metadata = { title: "My account · Liqdesk" };

/**
 * `/account` (traders): one of the accounts bound to the trader (`?account=`, default the first);
 * an account that is not theirs (or does not exist) is a 404 naming it (./not-found.tsx).
 */
export default async function TraderAccountPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await connection();
  const user = await requirePage("trader", "/account");
  const asked = (await searchParams).account;
  // Another trader's account, or none at all: one answer (404) that says which, never this trader's own in its place.
  if (asked !== undefined && (typeof asked !== "string" || !user.accountIds.includes(asked))) notFound();
  const accountId = asked ?? user.accountIds[0];
  const bar = <TopBar subtitle="My account"><SignOutButton email={user.email} role={user.role} /></TopBar>;
  if (!accountId) {
    return <>{bar}<main><QueryState kind="empty" height={300}><div data-testid="no-account">No margin account is bound to {user.email} yet: ask the risk desk.</div></QueryState></main></>;
  }
  const services = pageServices();
  const detail = await services.accounts.detail(accountId).catch((error: unknown) => {
    if (isNotFound(error)) return null;
    throw error;
  });
  if (!detail) {
    return <>{bar}<main><QueryState kind="empty" height={300}><div data-testid="account-not-found">Account “{accountId}” has no data on the venue yet.</div></QueryState></main></>;
  }
  const calls = await services.marginCalls.list(user, accountId);
  return (
    <>
      {bar}
      <TraderAccountView accountId={accountId} accountIds={user.accountIds} initial={detail} initialMarkets={services.markets.snapshot()}
        initialCalls={calls} staleAfterMs={services.markets.displaySettings().staleAfterMs} />
    </>
  );
}
