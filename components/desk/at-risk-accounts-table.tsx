"use client";
import { memo, useCallback, useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from "react";
import { useRouter } from "next/navigation";
import type { AtRiskSortColumn } from "@/lib/contracts/book-views";
import type { AccountListRow } from "@/lib/contracts/desk";
import { sortParts, type AccountsFilter } from "@/lib/client/accounts-filter";
import { useAccountsFilterUrl } from "@/lib/client/use-accounts-filter-url";
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
import { SortHeader } from "@/components/ui/sort-header";
import { ScrollX } from "@/components/ui/scroll-x";

const ROW_HEIGHT = 28;
const VIEWPORT = 504;
export const MAX_SELECTED = 8;

/** The numeric columns, each sortable over the whole book: header, what the arrow sorts by, test id. */
const SORT_COLUMNS: { column: AtRiskSortColumn; label: ReactNode; title: string }[] = [
  { column: "marginRatio", label: "Margin ratio", title: "margin ratio = MM / equity; 100% = liquidation, higher is worse" },
  { column: "equity", label: "Equity", title: "equity, USD (collateral + unrealized PnL)" },
  { column: "maintenanceMargin", label: "MM", title: "maintenance margin, USD" },
  { column: "notional", label: "Notional", title: "Σ notional of the positions, USD" },
  { column: "positions", label: "Pos.", title: "open positions" },
];
const COLUMN_NAMES: Record<AtRiskSortColumn, string> = {
  marginRatio: "margin ratio", equity: "equity", maintenanceMargin: "maintenance margin", notional: "notional", positions: "positions",
};

/**
 * Every account, riskiest first, in a virtualized table: only the rows in view are rendered and
 * only the pages of rows in view are fetched (server-side filter, sort over the whole book, and
 * paging), refreshed every few seconds. The filters and the sort live in the page's URL (a link
 * shows the same table; Back restores the previous one). Each row names the account's owners.
 * Check rows to chart their margin ratio.
 */
export const AtRiskAccountsTable = memo(function AtRiskAccountsTable({ marketIds, selected, onToggle, stale, staleAfterMs }: {
  marketIds: string[];
  selected: readonly string[];
  onToggle: (id: string) => void;
  stale: boolean;
  staleAfterMs: number;
}) {
  const router = useRouter();
  const [filter, setFilter] = useAccountsFilterUrl();
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

  // A new filter or sort (typed, clicked, or Back/Forward) starts at the top.
  const [shownFilter, setShownFilter] = useState(filter);
  if (shownFilter !== filter) {
    setShownFilter(filter);
    setActive(0);
  }
  useEffect(() => scrollToTop(), [filter, scrollToTop]);
  const changeFilter = useCallback((next: AccountsFilter) => setFilter(next), [setFilter]);
  const sort = sortParts(filter.sort);
  const onSort = (column: AtRiskSortColumn) =>
    changeFilter({ ...filter, sort: column === sort.column ? `${column}:${sort.dir === "desc" ? "asc" : "desc"}` : `${column}:desc` });

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
      subtitle={data.total === null ? "loading…" : `${formatCountOf(data.total, "account")} ${data.total === 1 ? "matches" : "match"} · sorted by ${COLUMN_NAMES[sort.column]}, ${sort.column === "marginRatio" ? (sort.dir === "desc" ? "riskiest first" : "safest first") : sort.dir === "desc" ? "largest first" : "smallest first"} · amounts in USD · ✓ to chart (max ${MAX_SELECTED}) · ↑↓ Enter Space`}
      freshness={{ ts: data.updatedAt, stale: stale || data.error !== null, staleAfterMs }}>
      <AccountsFilterBar filter={filter} marketIds={marketIds} onChange={changeFilter} />
      <ScrollX className="vtable-scroll" hint="more columns">
      <div className="vtable accounts-vtable" ref={viewRef} role="table" aria-label="Accounts at risk" aria-rowcount={count} data-testid="accounts-table"
        data-sort={filter.sort}>
        <div className="vrow vhead" role="row">
          <span role="columnheader" className="c-sel" aria-label="chart" />
          <span role="columnheader">Account</span>
          <span role="columnheader">Status</span>
          {SORT_COLUMNS.map(({ column, label, title }) => (
            <SortHeader key={column} label={label} title={title} className="r" active={sort.column === column} dir={sort.dir}
              onSort={() => onSort(column)} testId={`sort-${column}`} />
          ))}
          <span role="columnheader" title="the e-mails of the users bound to the account">Owner</span>
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
      </ScrollX>
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
  row: AccountListRow | null;
  active: boolean;
  isSelected: boolean;
  canSelect: boolean;
  onToggle: (id: string) => void;
  onFocusRow: (index: number) => void;
}) {
  const style = { top: index * ROW_HEIGHT, height: ROW_HEIGHT };
  const onFocus = () => onFocusRow(index);
  if (!row) {
    return (
      <div className="vrow vrow-loading" role="row" style={style} data-index={index} tabIndex={active ? 0 : -1} onFocus={onFocus} aria-busy>
        <span className="c-sel" /><span className="skeleton" /><span /><span /><span /><span /><span /><span /><span />
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
      <span role="cell" className={row.owners.length === 0 ? "muted" : "owner-cell"} title={row.owners.join(", ") || "no user is bound to this account"}
        data-testid="row-owner">{row.owners.length === 0 ? "—" : row.owners.join(", ")}</span>
    </div>
  );
});
