import "server-only";
import type { AlertRuleView, AlertSignal } from "@/lib/contracts/alerts";
import type { UnknownAccounts } from "@/lib/contracts/book-views";
import { formatUsdExact } from "@/lib/format/usd";
import type { PrismaClient } from "../db/prisma-client";

export const FUND_SUBJECT = "fund";

export interface FundAlertsDeps {
  /** Every signal goes here (AlertsService.apply). */
  apply(signals: AlertSignal[]): void;
  /** The enabled rules of a kind as they are now. */
  rules(kind: "fund_runway_below" | "uncovered_bad_debt"): readonly AlertRuleView[];
  prisma: PrismaClient;
  now(): number;
}

/** The runway as last computed: the largest uniform fall the fund covers (a fraction) and who it leaves out. */
interface Runway {
  coversMove: number;
  at: number;
  unknownAccounts: UnknownAccounts | null;
}

const pct = (f: number) => `${(f * 100).toFixed(f * 100 < 10 ? 1 : 0)}%`;

/**
 * The insurance fund's alerts, on the leader, as the figures behind them are produced:
 *
 * - `fund_runway_below`: each time the desk stream computes the fund's runway (the stress model,
 *   every 30 s at most: `DeskStream.onRunway`), raised while the fall the fund covers is below the
 *   rule's threshold and cleared when it is not. A signal goes out when a rule's condition changes
 *   (and for the first computation after a start or a rule change, which reconciles). An unknown
 *   runway (not computed yet) sends nothing.
 * - `uncovered_bad_debt`: each executed liquidation step that leaves bad debt the fund could not
 *   pay raises it (subject "fund"). It never clears by itself: the uncovered total is history and
 *   never goes back to 0, so the desk resolves it once handled; the next uncovered debt after that
 *   raises a new one. `reconcile` raises it for uncovered debt recorded after the rule's last
 *   alert (or its creation) that no alert has covered: one lost between a step and its alert (a
 *   crash, a failover) is raised at the next start.
 */
export class FundAlerts {
  private runway: Runway | null = null;
  /** The runway condition last signalled per rule (absent: nothing signalled since the last reconcile). */
  private readonly runwayHolds = new Map<string, boolean>();

  constructor(private readonly deps: FundAlertsDeps) {}

  /** A runway computation (DeskStream); null: not known. */
  onRunway(coversMove: number | null, at: number, unknownAccounts: UnknownAccounts | null): void {
    if (coversMove === null || !Number.isFinite(coversMove)) return;
    this.runway = { coversMove, at, unknownAccounts };
    this.deps.apply(this.runwaySignals());
  }

  /** An executed step left `uncovered` USD of bad debt (decimal string) the fund could not pay. */
  async onUncovered(step: { accountId: string; eventId: string; uncovered: string; at: number }): Promise<void> {
    if (!(Number(step.uncovered) > 0)) return;
    const rules = this.deps.rules("uncovered_bad_debt");
    if (rules.length === 0) return;
    const total = await this.uncoveredTotal();
    this.deps.apply(rules.map((rule) => ({
      ...this.uncoveredRaise(rule, step.at, total,
        `${formatUsdExact(step.uncovered)} USD of bad debt the fund could not pay (account ${step.accountId}, liquidation step ${step.eventId})`),
      // The account whose step left it: the inbox opens it, its audit trail names the alert.
      accountId: step.accountId,
    })));
  }

  /** At start and after the rules change: the runway's rules evaluated afresh, uncovered debt no alert covers raised. */
  async reconcile(): Promise<void> {
    this.runwayHolds.clear();
    const signals = this.runwaySignals();
    const rules = this.deps.rules("uncovered_bad_debt");
    if (rules.length > 0) {
      const rows = await this.deps.prisma.$queryRaw<{ id: string; open: boolean | null; seen: Date }[]>`
        SELECT r.id, bool_or(a.state <> 'resolved') AS open, greatest(r.created_at, max(a.raised_at), max(a.resolved_at)) AS seen
          FROM alert_rules r LEFT JOIN alerts a ON a.rule_id = r.id
         WHERE r.id = ANY(${rules.map((r) => r.id)}::text[]) GROUP BY r.id, r.created_at`;
      const total = rows.some((r) => !r.open) ? await this.uncoveredTotal() : "0";
      for (const row of rows) {
        if (row.open) continue;
        const [missed] = await this.deps.prisma.$queryRaw<{ n: number; amount: string | null; last: Date | null }[]>`
          SELECT count(*)::int AS n, trim_scale(-sum(amount))::text AS amount, max(created_at) AS last
            FROM insurance_fund_ledger WHERE kind = 'uncovered_bad_debt' AND created_at > ${row.seen}`;
        if (!missed || missed.n === 0 || missed.last === null) continue;
        const rule = rules.find((r) => r.id === row.id)!;
        signals.push(this.uncoveredRaise(rule, missed.last.getTime(), total,
          `${formatUsdExact(missed.amount ?? "0")} USD of bad debt the fund could not pay in ${missed.n} liquidation step${missed.n === 1 ? "" : "s"} since ${row.seen.toISOString()}`));
      }
    }
    this.deps.apply(signals);
  }

  private runwaySignals(): AlertSignal[] {
    const runway = this.runway;
    if (!runway) return [];
    const out: AlertSignal[] = [];
    for (const rule of this.deps.rules("fund_runway_below")) {
      const threshold = Number(rule.params.threshold);
      const holds = runway.coversMove < threshold;
      if (this.runwayHolds.get(rule.id) === holds) continue;
      this.runwayHolds.set(rule.id, holds);
      const left = runway.unknownAccounts && runway.unknownAccounts.count > 0
        ? ` (${runway.unknownAccounts.count} account${runway.unknownAccounts.count === 1 ? "" : "s"} left out: ${runway.unknownAccounts.markets.join(", ")} never priced)` : "";
      out.push(holds
        ? { ruleId: rule.id, subject: FUND_SUBJECT, raise: true, at: runway.at, value: runway.coversMove,
            message: `the insurance fund covers a uniform fall of ${pct(runway.coversMove)} of every market, below ${pct(threshold)}${left}` }
        : { ruleId: rule.id, subject: FUND_SUBJECT, raise: false, at: runway.at });
    }
    // Rules gone (disabled or deleted) are forgotten: their alerts were resolved with them.
    for (const id of [...this.runwayHolds.keys()]) if (!this.deps.rules("fund_runway_below").some((r) => r.id === id)) this.runwayHolds.delete(id);
    return out;
  }

  private uncoveredRaise(rule: AlertRuleView, at: number, total: string, what: string): AlertSignal {
    return { ruleId: rule.id, subject: FUND_SUBJECT, raise: true, at, value: Number(total), message: `${what}; ${formatUsdExact(total)} USD uncovered in all` };
  }

  private async uncoveredTotal(): Promise<string> {
    const [row] = await this.deps.prisma.$queryRaw<{ total: string }[]>`
      SELECT trim_scale(coalesce(-sum(amount), 0))::text AS total FROM insurance_fund_ledger WHERE kind = 'uncovered_bad_debt'`;
    return row?.total ?? "0";
  }
}
