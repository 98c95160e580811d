import { connection } from "next/server";
import { DeskDashboard } from "@/components/desk/desk-dashboard";
import { requirePage } from "@/lib/server/auth/page-access";
import { pageServices } from "@/lib/server/services/services-registry";

/**
 * The live desk. The layout's check sets the redirect's status, but Next renders a layout and its
 * page in parallel: the page checks again before it reads anything, or the book would stream out
 * under the layout's redirect. Every page checks its own access before it reads protected data.
 */
export default async function DeskPage() {
  await connection(); // live data: rendered per request, never prerendered
  await requirePage("desk", "/desk");
  const services = pageServices();
  const desk = services.desk.snapshot();
  const markets = services.markets.snapshot();
  const { staleAfterMs } = services.markets.displaySettings();
  return <DeskDashboard initialDesk={desk} initialMarkets={markets} staleAfterMs={staleAfterMs} />;
}
