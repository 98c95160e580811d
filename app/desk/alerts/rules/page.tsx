import type { Metadata } from "next";
import { connection } from "next/server";
import { AlertRulesView } from "@/components/alerts/alert-rules-view";
import { DeskUserLinks } from "@/components/auth/desk-user-links";
import { TopBar } from "@/components/ui/top-bar";
import { requirePage } from "@/lib/server/auth/page-access";
import { pageServices } from "@/lib/server/services/services-registry";

export const metadata: Metadata = { title: "Alert rules · Liqdesk" };

/** `/desk/alerts/rules` (desk): the alert rules, edited in place (docs/ALERTS.md). */
export default async function AlertRulesPage() {
  await connection();
  const user = await requirePage("desk", "/desk/alerts/rules");
  const services = pageServices();
  const rules = await services.alerts.rules();
  const markets = services.markets.snapshot().markets.map((m) => m.id);
  return (
    <>
      <TopBar subtitle="Risk desk · alert rules"><DeskUserLinks email={user.email} /></TopBar>
      <AlertRulesView initial={rules} markets={markets} />
    </>
  );
}
