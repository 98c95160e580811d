import type { Metadata } from "next";
import { connection } from "next/server";
import { notFound, redirect } from "next/navigation";
import { AccountPageView } from "@/components/account/account-page-view";
import { TopBar } from "@/components/ui/top-bar";
import { isNotFound } from "@/lib/server/errors";
import { pageServices } from "@/lib/server/services/services-registry";
import { pageUser, requirePage } from "@/lib/server/auth/page-access";
import { DeskUserLinks } from "@/components/auth/desk-user-links";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }): Promise<Metadata> {
  const { id } = await params;
  return { title: `${decodeURIComponent(id)} · Liqdesk` };
}

export default async function AccountPage({ params, searchParams }: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await connection(); // live data: rendered per request
  const accountId = decodeURIComponent((await params).id);
  // A trader is sent to this account on their own page, which shows it if it is theirs and a 404 if not (never their own instead).
  if ((await pageUser())?.role === "trader") redirect(`/account?account=${encodeURIComponent(accountId)}`);
  const user = await requirePage("desk", `/desk/accounts/${encodeURIComponent(accountId)}`);
  const services = pageServices();
  const detail = await services.accounts.detail(accountId).catch((error: unknown) => {
    if (isNotFound(error)) notFound();
    throw error;
  });
  const { staleAfterMs } = services.markets.displaySettings();
  const calls = await services.marginCalls.list(user, accountId);
  // Opened from an alert (`?alert=<id>`, e.g. the alert inbox's "issue a margin call"): a call issued here names it; the server checks it.
  const alert = (await searchParams).alert;
  const alertId = typeof alert === "string" && /^\d{1,19}$/.test(alert) ? alert : null;
  return (
    <>
      <TopBar subtitle="Risk desk · account"><DeskUserLinks email={user.email} /></TopBar>
      <AccountPageView accountId={accountId} initial={detail} initialMarkets={services.markets.snapshot()} initialCalls={calls} alertId={alertId}
        staleAfterMs={staleAfterMs} />
    </>
  );
}
