import { connection } from "next/server";
import { DeskDashboard } from "@/components/desk/desk-dashboard";
import { TopBar } from "@/components/ui/top-bar";
import { getDeskSnapshot, getDisplaySettings, getMarketsSnapshot } from "@/lib/server/read-model";
import { requirePage } from "@/lib/server/auth/page-access";
import { DeskUserLinks } from "@/components/auth/desk-user-links";

export default async function DeskPage() {
  await connection(); // live data: rendered per request, never prerendered
  const user = await requirePage("desk", "/desk");
  const [desk, markets] = await Promise.all([getDeskSnapshot(), getMarketsSnapshot()]);
  const { staleAfterMs } = getDisplaySettings();
  return (
    <>
      <TopBar subtitle="Risk desk"><DeskUserLinks email={user.email} /></TopBar>
      <DeskDashboard initialDesk={desk} initialMarkets={markets} staleAfterMs={staleAfterMs} />
    </>
  );
}
