"use client";
import { memo, useCallback, useEffect, useRef, useState, type KeyboardEvent } from "react";
import { useRouter } from "next/navigation";
import type { AccountRow } from "@/lib/contracts/book-views";
import { DEFAULT_ACCOUNTS_FILTER, type AccountsFilter } from "@/lib/client/accounts-filter";
import { useAccountsWindow } from "@/lib/client/use-accounts-window";
import { useVirtualWindow } from "@/lib/client/use-virtual-window";
import { useElementView } from "@/lib/client/use-element-view";
import { formatUsd } from "@/lib/format/usd";
import { formatCount, formatCountOf } from "@/lib/format/quantity";
import { Panel } from "@/components/ui/panel";
import { MarginRatio } from "@/components/ui/margin-ratio";
import { StatusBadge } from "@/components/ui/status-badge";
import { errorMessage } from "@/components/ui/query-state";
import { AccountsFilterBar } from "./accounts-filter-bar";
import { AccountLink, accountHref } from "@/components/ui/account-link";
import { unknownText } from "@/components/account/unknown-figures";

const ROW_HEIGHT = 28;
const VIEWPORT = 504;
export const MAX_SELECTED = 8;

/**
 * Every account, riskiest first, in a virtualized table: only the rows in view are rendered and
 * only the pages of rows in view are fetched (server-side filter, sort and paging), refreshed
 * every few seconds. Check rows to chart their margin ratio.
 */
export const AtRiskAccountsTable = memo(function AtRiskAccountsTable({ marketIds, selected, onToggle, stale, staleAfterMs }: {
  marketIds: string[];
  selected: readonly string[];
  onToggle: (id: string) => void;
  stale: boolean;
  staleAfterMs: number;
}) {
  const router = useRouter();
  const [filter, setFilter] = useState<AccountsFilter>({ ...DEFAULT_ACCOUNTS_FILTER, status: ["warning", "liquidatable", "backstop", "bankrupt"] });
  const { ref: scrollRef, onScroll, rangeFor, scrollToIndex, scrollToTop } = useVirtualWindow({ rowHeight: ROW_HEIGHT, viewportHeight: VIEWPORT });
  // The window before the count is known: the first screenful.
  const provisional = rangeFor(Number.MAX_SAFE_INTEGER);
  const { ref: viewRef, onScreen } = useElementView<HTMLDivElement>();
  const data = useAccountsWindow(filter, provisional.first, provisional.last, onScreen);
  const count = data.total ?? 0;
  const { first, last, totalHeight } = rangeFor(count);

  const [active, setActive] = useState(0);
  const wantFocus = useRef(false);
  useEffect(() => {
    if (!wantFocus.current) return;
    const el = scrollRef.current?.querySelector<HTMLElement>(`[data-index="${active}"]`);
    if (el) {
      el.focus({ preventScroll: true });
      wantFocus.current = false;
    }
  });

  const changeFilter = useCallback((next: AccountsFilter) => {
    setFilter(next);
    setActive(0);
    scrollToTop();
  }, [scrollToTop]);

  const onKeyDown = (e: KeyboardEvent) => {
    if (count === 0) return;
    const go = (i: number) => {
      e.preventDefault();
      const next = Math.max(0, Math.min(count - 1, i));
      wantFocus.current = true;
      setActive(next);
      scrollToIndex(next);
    };
    const page = Math.floor(VIEWPORT / ROW_HEIGHT) - 1;
    switch (e.key) {
      case "ArrowDown": return go(active + 1);
      case "ArrowUp": return go(active - 1);
      case "PageDown": return go(active + page);
      case "PageUp": return go(active - page);
      case "Home": return go(0);
      case "End": return go(count - 1);
      case "Enter": {
        const row = data.rowAt(active);
        if (row && (e.target as HTMLElement).tagName !== "A") {
          e.preventDefault();
          router.push(accountHref(row.accountId));
        }
        return;
      }
      case " ": {
        const row = data.rowAt(active);
        if (row && (e.target as HTMLElement).tagName !== "INPUT") {
          e.preventDefault();
          onToggle(row.accountId);
        }
      }
    }
  };

  const rows = [];
  for (let i = first; i < last; i++) {
    const row = data.rowAt(i);
    const isSelected = row !== null && selected.includes(row.accountId);
    rows.push(<AccountTableRow key={i} index={i} row={row} active={i === active} isSelected={isSelected}
      canSelect={isSelected || selected.length < MAX_SELECTED} onToggle={onToggle} onFocusRow={setActive} />);
  }
  const { visibleFirst, visibleLast } = rangeFor(count);

  return (
    <Panel title="Accounts at risk" className="span-7 h-accounts" testId="accounts-panel"
      subtitle={data.total === null ? "loading…" : `${formatCountOf(data.total, "account")} ${data.total === 1 ? "matches" : "match"} · sorted by margin ratio · ✓ to chart (max ${MAX_SELECTED}) · ↑↓ Enter Space`}
      freshness={{ ts: data.updatedAt, stale: stale || data.error !== null, staleAfterMs }}>
      <AccountsFilterBar filter={filter} marketIds={marketIds} onChange={changeFilter} />
      <div className="vtable" ref={viewRef} role="table" aria-label="Accounts at risk" aria-rowcount={count} data-testid="accounts-table">
        <div className="vrow vhead" role="row">
          <span role="columnheader" className="c-sel" aria-label="chart" />
          <span role="columnheader">Account</span>
          <span role="columnheader">Status</span>
          <span role="columnheader" className="r" aria-sort={filter.sort === "marginRatio:desc" ? "descending" : "ascending"}
            title="margin ratio = MM / equity; 100% = liquidation, higher is worse">
            <button type="button" className="sort-button" data-testid="sort-ratio"
              onClick={() => changeFilter({ ...filter, sort: filter.sort === "marginRatio:desc" ? "marginRatio:asc" : "marginRatio:desc" })}>
              Margin ratio <span className="sort-arrow" aria-hidden>{filter.sort === "marginRatio:desc" ? "▼" : "▲"}</span>
            </button>
          </span>
          <span role="columnheader" className="r">Equity&nbsp;<span className="unit">USD</span></span>
          <span role="columnheader" className="r">MM&nbsp;<span className="unit">USD</span></span>
          <span role="columnheader" className="r">Notional&nbsp;<span className="unit">USD</span></span>
          <span role="columnheader" className="r">Pos.</span>
        </div>
        <div className="vbody" ref={scrollRef} onScroll={onScroll}
          style={{ height: VIEWPORT }} onKeyDown={onKeyDown} role="rowgroup">
          {data.error && count === 0 ? (
            <div className="query-state query-error" role="alert">Could not load accounts: {errorMessage(data.error)}</div>
          ) : data.total === null ? (
            <div className="query-state">Loading accounts…</div>
          ) : count === 0 ? (
            <div className="query-state">No account matches these filters.</div>
          ) : (
            <div style={{ height: totalHeight, position: "relative" }}>{rows}</div>
          )}
        </div>
      </div>
      <div className="panel-note table-foot">
        {count > 0 ? <>rows {formatCount(visibleFirst + 1)}–{formatCount(Math.min(visibleLast, count))} of {formatCount(count)}</> : " "}
        {data.fetching ? <span className="muted"> · updating…</span> : null}
      </div>
    </Panel>
  );
});

/** One row of the window; unchanged rows are not redrawn while scrolling. */
const AccountTableRow = memo(function AccountTableRow({ index, row, active, isSelected, canSelect, onToggle, onFocusRow }: {
  index: number;
  row: AccountRow | null;
  active: boolean;
  isSelected: boolean;
  canSelect: boolean;
  onToggle: (id: string) => void;
  onFocusRow: (index: number) => void;
}) {
  const style = { transform: `translateY(${index * ROW_HEIGHT}px)`, height: ROW_HEIGHT };
  const onFocus = () => onFocusRow(index);
  if (!row) {
    return (
      <div className="vrow vrow-loading" role="row" style={style} data-index={index} tabIndex={active ? 0 : -1} onFocus={onFocus} aria-busy>
        <span className="c-sel" /><span className="skeleton" /><span /><span /><span /><span /><span /><span />
      </div>
    );
  }
  const disabled = !canSelect;
  return (
    <div className={`vrow${isSelected ? " vrow-selected" : ""}`} role="row" style={style} data-index={index}
      data-testid={`account-row-${row.accountId}`} tabIndex={active ? 0 : -1} onFocus={onFocus} aria-rowindex={index + 1}>
      <span role="cell" className="c-sel">
        <input type="checkbox" checked={isSelected} disabled={disabled} tabIndex={-1} aria-label={`chart ${row.accountId}`}
          onChange={() => onToggle(row.accountId)} />
      </span>
      <span role="cell" className="ellipsis"><AccountLink id={row.accountId} tabIndex={-1} /></span>
      <span role="cell"><StatusBadge status={row.status} /></span>
      {row.unpricedMarkets.length > 0 ? (
        // A market it holds has never had a price: its figures are unknown, never entry-price ones.
        <span role="cell" className="r muted unknown-cells" title={unknownText(row.unpricedMarkets)} data-testid="row-unknown">
          {unknownText(row.unpricedMarkets)}
        </span>
      ) : (
        <>
          <span role="cell" className="r"><MarginRatio ratio={row.marginRatio} /></span>
          <span role="cell" className="r num">{formatUsd(row.equity)}</span>
          <span role="cell" className="r num">{formatUsd(row.maintenanceMargin)}</span>
          <span role="cell" className="r num">{formatUsd(row.notional, 0)}</span>
        </>
      )}
      <span role="cell" className="r num">{row.positions}</span>
    </div>
  );
});
