"use client";
import type { AccountView } from "@/lib/contracts/book-views";
import { Figure } from "@/components/ui/figure";
import { MarginRatio } from "@/components/ui/margin-ratio";
import { formatUsd } from "@/lib/format/usd";
import { unknownText } from "./unknown-figures";

/** An account's headline figures (spec §3) with their age; "unknown" while a market it holds has never had a price. */
export function AccountFigures({ view, ts, stale, staleAfterMs }: { view: AccountView; ts: number | null; stale: boolean; staleAfterMs: number }) {
  const common = { ts, stale, staleAfterMs };
  if (view.unpricedMarkets.length > 0) {
    const hint = unknownText(view.unpricedMarkets);
    const unknown = { value: "unknown", hint, rawValue: "unknown", tone: "muted" as const, ...common };
    return (
      <section className="account-figures" aria-label="Account figures">
        <Figure label="Margin ratio" testId="account-ratio" {...unknown} />
        <Figure label="Equity" testId="account-equity" {...unknown} />
        <Figure label="Maintenance margin" testId="account-mm" {...unknown} />
        <Figure label="Collateral" value={formatUsd(view.collateral)} unit="USD" hint="IM unknown" testId="account-collateral" rawValue={view.collateral} {...common} />
        <Figure label="Notional" testId="account-notional" {...unknown} />
        <Figure label="Top-up to leave the queue" testId="account-topup" {...unknown} />
      </section>
    );
  }
  const topUp = view.topUp!;
  return (
    <section className="account-figures" aria-label="Account figures">
      <Figure label="Margin ratio" value={<MarginRatio ratio={view.marginRatio} decimals={2} />} hint="MM / equity; 100% = liq."
        testId="account-ratio" rawValue={view.marginRatio ?? "null"} {...common} />
      <Figure label="Equity" value={formatUsd(view.equity)} unit="USD" hint="collateral + uPnL" testId="account-equity"
        rawValue={view.equity} tone={view.equity! <= 0 ? "bad" : undefined} {...common} />
      <Figure label="Maintenance margin" value={formatUsd(view.maintenanceMargin)} unit="USD" hint="Σ MM of positions" testId="account-mm"
        rawValue={view.maintenanceMargin} {...common} />
      <Figure label="Collateral" value={formatUsd(view.collateral)} unit="USD" hint={`IM ${formatUsd(view.initialMargin)} USD`}
        testId="account-collateral" rawValue={view.collateral} {...common} />
      <Figure label="Notional" value={formatUsd(view.notional, 0)} unit="USD" hint={`${view.positions.length} position${view.positions.length === 1 ? "" : "s"}`}
        testId="account-notional" rawValue={view.notional} {...common} />
      <Figure label="Top-up to leave the queue" value={topUp.toMaintenance > 0 ? `> ${formatUsd(topUp.toMaintenance)}` : "—"} unit={topUp.toMaintenance > 0 ? "USD" : undefined}
        hint={topUp.toHealthy > 0 ? `> ${formatUsd(topUp.toHealthy)} USD to healthy` : "already healthy"}
        testId="account-topup" rawValue={topUp.toMaintenance} {...common} />
    </section>
  );
}
