"use client";
import Link from "next/link";
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent as ReactKeyboardEvent } from "react";
import { useRouter } from "next/navigation";
import type { AlertPage, AlertRuleView, DeskUserView } from "@/lib/contracts/alerts";
import { ALERTS_PAGE, alertsFilterSearch, type AlertsFilter } from "@/lib/client/alerts-filter";
import { alertSubject } from "@/lib/client/alert-subject";
import { useAlertCounts, useAlertList, type AlertAction } from "@/lib/client/use-alerts";
import { useSocketStatus } from "@/lib/client/use-socket-status";
import { accountHref } from "@/components/ui/account-link";
import { Panel } from "@/components/ui/panel";
import { QueryState, errorMessage } from "@/components/ui/query-state";
import { useRovingRows } from "@/components/ui/use-roving-rows";
import { AlertsFilterBar } from "./alerts-filter-bar";
import { AlertsTable } from "./alerts-table";
import { AlertPanel } from "./alert-panel";
import "./alerts.css";

/** The keys of the inbox (shown on the page): a key the table does not take itself. */
const KEYS: Record<string, AlertAction | "down" | "up"> = { j: "down", k: "up", a: "acknowledge", r: "resolve", s: "snooze", g: "assign" };

/** Whether a key press belongs to a field being typed in (the inbox's keys stay out of its way). */
function typing(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
}

/**
 * The desk's alert inbox (/desk/alerts): live (socket room `alerts`: every change reads the list
 * again), filtered by the URL (state, severity, rule, market, assignee), keyboard-first: j/k move,
 * a acknowledges (with an optional note), r resolves, s snoozes, g assigns, Enter opens the
 * account. The focused alert's details, actions and history beside the table (below it on a phone).
 */
export function AlertsInbox({ initialFilter, initialPage, rules, users, markets, me }: {
  initialFilter: AlertsFilter;
  initialPage: AlertPage;
  rules: readonly AlertRuleView[];
  users: readonly DeskUserView[];
  markets: readonly string[];
  me: string;
}) {
  const router = useRouter();
  const [filter, setFilter] = useState(initialFilter);
  const filterKey = alertsFilterSearch(filter);
  const [initial] = useState(() => ({ filter: alertsFilterSearch(initialFilter), page: initialPage }));
  useEffect(() => {
    if (window.location.search !== filterKey) window.history.replaceState(window.history.state, "", `/desk/alerts${filterKey}`);
  }, [filterKey]);

  const list = useAlertList(filter, initial, filterKey);
  const counts = useAlertCounts();
  const socket = useSocketStatus();
  const items = useMemo(() => list.data?.items ?? [], [list.data]);
  const ids = useMemo(() => items.map((a) => a.id), [items]);
  const byId = useMemo(() => new Map(items.map((a) => [a.id, a])), [items]);
  const userMap = useMemo(() => new Map(users.map((u) => [u.id, u])), [users]);
  const openAccount = useCallback((id: string) => {
    const alert = byId.get(id);
    const accountId = alert ? alertSubject(alert).accountId : null;
    if (accountId) router.push(accountHref(accountId));
  }, [byId, router]);
  const { containerRef, rowProps, onKeyDown, activeId } = useRovingRows(ids, { open: openAccount });
  // The open form belongs to one alert: moving to another closes it.
  const [form, setForm] = useState<{ id: string; action: AlertAction } | null>(null);
  const active = activeId ? byId.get(activeId) ?? null : null;
  const mode = form && active && form.id === active.id ? form.action : null;
  const panelRef = useRef<HTMLDivElement>(null);

  const focusRow = useCallback((id: string | null) => {
    if (id === null) return;
    containerRef.current?.querySelector<HTMLElement>(`[data-row-key="${CSS.escape(id)}"]`)?.focus();
  }, [containerRef]);

  // The inbox's keys, wherever the focus is on the page (not while typing in a field).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
      const key = KEYS[e.key];
      if (!key || activeId === null) return;
      const inTable = containerRef.current?.contains(document.activeElement) ?? false;
      if (key === "down" || key === "up") {
        e.preventDefault();
        if (!inTable) return focusRow(activeId);
        onKeyDown({ key: key === "down" ? "ArrowDown" : "ArrowUp", preventDefault: () => undefined, target: e.target } as unknown as ReactKeyboardEvent);
        return;
      }
      const alert = byId.get(activeId);
      if (!alert || alert.state === "resolved" || (key === "acknowledge" && alert.state !== "open")) return;
      e.preventDefault();
      setForm({ id: alert.id, action: key });
      panelRef.current?.scrollIntoView({ block: "nearest" });
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [activeId, byId, containerRef, focusRow, onKeyDown]);

  const changeFilter = (f: AlertsFilter) => {
    setForm(null);
    setFilter(f);
  };
  const c = counts.data;
  const live = socket === "live";

  return (
    <main className="alerts-page">
      <Panel title="Alerts" testId="alerts-inbox"
        subtitle={<>
          {list.data ? `${list.data.total} ${filter.states.length ? filter.states.join(" or ") : "unresolved"}${list.data.total > items.length ? `, newest ${items.length} shown` : ""}` : "…"}
          {c ? <> · needs attention: <b className="tone-bad">{c.attention.critical}</b> critical, <b className="tone-warn">{c.attention.warning}</b> warning, <b>{c.attention.info}</b> info · {c.snoozed} snoozed</> : null}
        </>}
        right={<>
          <span className={live ? "tone-ok" : "tone-warn"} data-testid="alerts-live">{live ? "live" : socket === "connecting" ? "connecting…" : "not live: reconnecting, the list may be behind"}</span>
          <Link href="/desk/alerts/rules" data-testid="rules-link">Rules</Link>
        </>}>
        <AlertsFilterBar filter={filter} onChange={changeFilter} rules={rules} markets={markets} users={users} me={me} />
        <p className="key-hints" aria-label="Keyboard">
          <kbd>j</kbd>/<kbd>k</kbd> move · <kbd>a</kbd> acknowledge · <kbd>r</kbd> resolve · <kbd>s</kbd> snooze · <kbd>g</kbd> assign · <kbd>Enter</kbd> open the account · <kbd>Esc</kbd> back to the list
        </p>
        {list.isError ? <p className="field-error" role="alert">Could not refresh the list: {errorMessage(list.error)} (showing the last one read)</p> : null}
        <div className="alerts-layout">
          <div className="alerts-list">
            {items.length === 0 ? (
              <QueryState kind="empty" height={160}>{list.isFetching && !list.data ? "Reading the alerts…" : "No alert matches these filters."}</QueryState>
            ) : (
              <AlertsTable items={items} users={userMap} activeId={activeId} containerRef={containerRef} rowProps={rowProps} onKeyDown={onKeyDown} />
            )}
            {list.data && list.data.total > ALERTS_PAGE ? <p className="panel-note">{list.data.total - ALERTS_PAGE} older alerts match: narrow the filters to see them.</p> : null}
          </div>
          <div className="alerts-side" ref={panelRef}>
            {active ? (
              <AlertPanel key={active.id} alert={active} mode={mode} setMode={(m) => setForm(m ? { id: active.id, action: m } : null)} users={userMap} me={me} onDone={() => focusRow(active.id)} />
            ) : <p className="muted alert-panel-empty">Select an alert to see its history and act on it.</p>}
          </div>
        </div>
      </Panel>
    </main>
  );
}
