import { connection } from "next/server";
import { MarketPricesPanel } from "@/components/desk/market-prices-panel";
import { getDisplaySettings, getMarketsSnapshot } from "@/lib/server/read-model";

export default async function DeskPage() {
  await connection(); // live data: rendered per request, never prerendered
  const snapshot = getMarketsSnapshot();
  const { staleAfterMs } = getDisplaySettings();
  return (
    <>
      <header className="topbar">
        <span className="brand">Liqdesk</span>
        <span className="subtitle">Risk desk</span>
      </header>
      <main>
        <h1>Mark prices</h1>
        <MarketPricesPanel initial={snapshot} staleAfterMs={staleAfterMs} />
      </main>
    </>
  );
}
