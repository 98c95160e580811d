"use client";
import { ALERT_SEVERITIES, ALERT_STATES, type AlertRuleView, type DeskUserView } from "@/lib/contracts/alerts";
import type { AlertsFilter } from "@/lib/client/alerts-filter";

const STATE_LABEL = { open: "Open", acknowledged: "Acknowledged", resolved: "Resolved" } as const;

/** The inbox's filters: state and severity as toggles, rule, market and assignee as lists. Each change goes to the URL. */
export function AlertsFilterBar({ filter, onChange, rules, markets, users, me }: {
  filter: AlertsFilter;
  onChange: (f: AlertsFilter) => void;
  rules: readonly AlertRuleView[];
  markets: readonly string[];
  users: readonly DeskUserView[];
  me: string;
}) {
  const toggle = <T extends string>(list: readonly T[], v: T, order: readonly T[]) =>
    (list.includes(v) ? list.filter((x) => x !== v) : [...list, v]).sort((a, b) => order.indexOf(a) - order.indexOf(b));
  return (
    <div className="filter-bar alerts-filters" data-testid="alerts-filters">
      <div className="chips" role="group" aria-label="State">
        <button type="button" className={`chip${filter.states.length === 0 ? " chip-on" : ""}`} aria-pressed={filter.states.length === 0}
          onClick={() => onChange({ ...filter, states: [] })} title="open and acknowledged">Unresolved</button>
        {ALERT_STATES.map((s) => (
          <button key={s} type="button" className={`chip${filter.states.includes(s) ? " chip-on" : ""}`} aria-pressed={filter.states.includes(s)}
            data-testid={`filter-state-${s}`} onClick={() => onChange({ ...filter, states: toggle(filter.states, s, ALERT_STATES) })}>{STATE_LABEL[s]}</button>
        ))}
      </div>
      <div className="chips" role="group" aria-label="Severity">
        {ALERT_SEVERITIES.slice().reverse().map((s) => (
          <button key={s} type="button" className={`chip chip-sev-${s}${filter.severities.includes(s) ? " chip-on" : ""}`} aria-pressed={filter.severities.includes(s)}
            data-testid={`filter-severity-${s}`} onClick={() => onChange({ ...filter, severities: toggle(filter.severities, s, ALERT_SEVERITIES) })}>{s}</button>
        ))}
      </div>
      <label className="inline-field">
        <span>Rule</span>
        <select value={filter.ruleId ?? ""} onChange={(e) => onChange({ ...filter, ruleId: e.target.value || null })} data-testid="filter-rule">
          <option value="">all rules</option>
          {rules.map((r) => <option key={r.id} value={r.id}>{r.name}</option>)}
        </select>
      </label>
      <label className="inline-field">
        <span>Market</span>
        <select value={filter.marketId ?? ""} onChange={(e) => onChange({ ...filter, marketId: e.target.value || null })} data-testid="filter-market">
          <option value="">all markets</option>
          {markets.map((m) => <option key={m} value={m}>{m}</option>)}
        </select>
      </label>
      <label className="inline-field">
        <span>Assignee</span>
        <select value={filter.assignee ?? ""} onChange={(e) => onChange({ ...filter, assignee: e.target.value || null })} data-testid="filter-assignee">
          <option value="">anyone</option>
          <option value={me}>me</option>
          <option value="none">nobody</option>
          {users.filter((u) => u.id !== me).map((u) => <option key={u.id} value={u.id}>{u.email}</option>)}
        </select>
      </label>
    </div>
  );
}
