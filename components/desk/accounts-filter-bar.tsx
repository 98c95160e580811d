"use client";
import { useEffect, useState } from "react";
import { ACCOUNT_STATUSES, type LiveStatus } from "@/lib/risk";
import type { AccountsFilter } from "@/lib/client/accounts-filter";

/** A margin-ratio floor typed in percent as the fraction the API takes; null for none (empty, not a number, negative). */
function parseRatio(text: string): number | null {
  const ratio = text.trim() === "" ? null : Number(text) / 100;
  return ratio !== null && Number.isFinite(ratio) && ratio >= 0 ? ratio : null;
}

function ratioText(ratio: number | null): string {
  return ratio === null ? "" : String(Math.round(ratio * 1000) / 10);
}

/** Filters of the at-risk table: statuses, market, minimum margin ratio and an account id prefix. */
export function AccountsFilterBar({ filter, marketIds, onChange }: {
  filter: AccountsFilter;
  marketIds: string[];
  onChange: (next: AccountsFilter) => void;
}) {
  // Typing is debounced: the list is fetched once the user pauses.
  const [q, setQ] = useState(filter.q);
  const [minRatio, setMinRatio] = useState(ratioText(filter.minRatio));
  // The filter changed from outside (Back, Forward, a shared link): the boxes show what it is.
  const [shown, setShown] = useState({ q: filter.q, minRatio: filter.minRatio });
  if (shown.q !== filter.q || shown.minRatio !== filter.minRatio) {
    setShown({ q: filter.q, minRatio: filter.minRatio });
    if (q.trim() !== filter.q) setQ(filter.q);
    if (parseRatio(minRatio) !== filter.minRatio) setMinRatio(ratioText(filter.minRatio));
  }
  useEffect(() => {
    const id = setTimeout(() => {
      const nextRatio = parseRatio(minRatio);
      if (q.trim() !== filter.q || nextRatio !== filter.minRatio) onChange({ ...filter, q: q.trim(), minRatio: nextRatio });
    }, 250);
    return () => clearTimeout(id);
  }, [q, minRatio, filter, onChange]);

  const toggle = (s: LiveStatus) =>
    onChange({ ...filter, status: filter.status.includes(s) ? filter.status.filter((x) => x !== s) : [...filter.status, s] });

  return (
    <div className="filter-bar" role="search" aria-label="Filter accounts">
      <div className="chips" role="group" aria-label="Status">
        {ACCOUNT_STATUSES.map((s) => (
          <button key={s} type="button" className={`chip chip-${s}${filter.status.includes(s) ? " chip-on" : ""}`}
            aria-pressed={filter.status.includes(s)} onClick={() => toggle(s)} data-testid={`filter-status-${s}`}>{s}</button>
        ))}
      </div>
      <label className="field">
        <span>Market</span>
        <select value={filter.market} onChange={(e) => onChange({ ...filter, market: e.target.value })} data-testid="filter-market">
          <option value="">all</option>
          {marketIds.map((id) => <option key={id} value={id}>{id}</option>)}
        </select>
      </label>
      <label className="field" title="margin ratio = MM / equity; 100% = liquidation">
        <span>Ratio ≥</span>
        <input type="number" min={0} step={5} inputMode="decimal" value={minRatio} placeholder="0" className="num w-60"
          onChange={(e) => setMinRatio(e.target.value)} data-testid="filter-min-ratio" />
        <span className="unit">%</span>
      </label>
      <label className="field grow">
        <span>Account</span>
        <input type="search" value={q} placeholder="id prefix…" maxLength={64} onChange={(e) => setQ(e.target.value)} data-testid="filter-search" />
      </label>
    </div>
  );
}
