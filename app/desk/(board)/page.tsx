import { connection } from "next/server";
import { DeskDashboard } from "@/components/desk/desk-dashboard";
import { getDeskSnapshot, getDisplaySettings, getMarketsSnapshot } from "@/lib/server/read-model";

/** The live desk; its layout has already checked that the user is on the desk. */
export default async function DeskPage() {
  await connection(); // live data: rendered per request, never prerendered
  const [desk, markets] = await Promise.all([getDeskSnapshot(), getMarketsSnapshot()]);
  const { staleAfterMs } = getDisplaySettings();
  return <DeskDashboard initialDesk={desk} initialMarkets={markets} staleAfterMs={staleAfterMs} />;
}
