import type { Metadata } from "next";
import { connection } from "next/server";
import { AlertsInbox } from "@/components/alerts/alerts-inbox";
import { DeskUserLinks } from "@/components/auth/desk-user-links";
import { TopBar } from "@/components/ui/top-bar";
import { ALERTS_PAGE, alertsApiQuery, alertsFilterOf } from "@/lib/client/alerts-filter";
import { requirePage } from "@/lib/server/auth/page-access";
import { pageServices } from "@/lib/server/services/services-registry";

export const metadata: Metadata = { title: "Alerts · Liqdesk" };

/** `/desk/alerts?state=&severity=&rule=&market=&assignee=` (desk): the alert inbox, live (docs/ALERTS.md). */
export default async function AlertsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await connection();
  const user = await requirePage("desk", "/desk/alerts");
  const filter = alertsFilterOf(await searchParams);
  const services = pageServices();
  const [page, rules, users] = await Promise.all([
    services.alerts.list(alertsApiQuery(filter, ALERTS_PAGE)),
    services.alerts.rules(),
    services.alerts.deskUsers(),
  ]);
  const markets = services.markets.snapshot().markets.map((m) => m.id);
  return (
    <>
      <TopBar subtitle="Risk desk · alerts"><DeskUserLinks email={user.email} /></TopBar>
      <AlertsInbox initialFilter={filter} initialPage={page} rules={rules} users={users} markets={markets} me={user.userId} />
    </>
  );
}
