import { connection } from "next/server";
import { DeskDashboard } from "@/components/desk/desk-dashboard";
import { TopBar } from "@/components/ui/top-bar";
import { getDeskSnapshot, getDisplaySettings, getMarketsSnapshot } from "@/lib/server/read-model";

export default async function DeskPage() {
  await connection(); // live data: rendered per request, never prerendered
  const [desk, markets] = await Promise.all([getDeskSnapshot(), getMarketsSnapshot()]);
  const { staleAfterMs } = getDisplaySettings();
  return (
    <>
      <TopBar subtitle="Risk desk" />
      <DeskDashboard initialDesk={desk} initialMarkets={markets} staleAfterMs={staleAfterMs} />
    </>
  );
}
