import type { Metadata } from "next";
import { connection } from "next/server";
import { DeskUserLinks } from "@/components/auth/desk-user-links";
import { TopBar } from "@/components/ui/top-bar";
import { WebhooksView } from "@/components/webhooks/webhooks-view";
import { requirePage } from "@/lib/server/auth/page-access";
import { pageServices } from "@/lib/server/services/services-registry";

export const metadata: Metadata = { title: "Webhooks · Liqdesk" };

/** `/desk/webhooks` (desk): where alert events are POSTed, their state, tests and delivery logs (docs/WEBHOOKS.md). */
export default async function WebhooksPage() {
  await connection();
  const user = await requirePage("desk", "/desk/webhooks");
  const services = pageServices();
  const [initial, rules] = await Promise.all([services.webhooks.list(), services.webhooks.rules()]);
  return (
    <>
      <TopBar subtitle="Risk desk · webhooks"><DeskUserLinks email={user.email} /></TopBar>
      <WebhooksView initial={initial} rules={rules} settings={services.webhooks.settings()} />
    </>
  );
}
