import "server-only";
import { alertRuleParamsSchemas, ENGINE_ALERT_KINDS, type AlertRuleView } from "@/lib/contracts/alerts";
import type { OpenAlertRef } from "@/lib/engine";
import type { PrismaClient } from "../db/prisma-client";
import type { Logger } from "../logger";
import { ruleViewOf } from "./alert-rules";

type AlertRuleRow = Awaited<ReturnType<PrismaClient["alertRule"]["findMany"]>>[number];

/** A stored rule as the engine and the desk see it (params parsed, defaults filled); `null` when its params no longer parse. */
export function alertRuleViewOf(row: AlertRuleRow): AlertRuleView | null {
  return alertRuleParamsSchemas[row.kind].safeParse(row.params ?? {}).success ? ruleViewOf(row) : null;
}

/** What the engine is given (`EngineClient.setAlertRules`): the enabled engine-kind rules and the unresolved alerts of engine kinds. */
export interface EngineAlertRules {
  readonly rules: AlertRuleView[];
  readonly open: OpenAlertRef[];
  /** Enabled rules left out because their stored params do not parse (logged). */
  readonly skipped: string[];
}

/**
 * Reads the rules the engine evaluates (enabled, kinds in `ENGINE_ALERT_KINDS`) and every
 * unresolved alert of an engine kind (open or acknowledged, whatever its rule's state: the engine
 * uses those of the rules it is given). A rule whose params do not parse is left out and logged,
 * so that one bad row does not stop the others.
 */
export async function loadEngineAlertRules(prisma: PrismaClient, log: Logger): Promise<EngineAlertRules> {
  const kinds = [...ENGINE_ALERT_KINDS];
  const [rows, open] = await Promise.all([
    prisma.alertRule.findMany({ where: { enabled: true, kind: { in: kinds } }, orderBy: { id: "asc" } }),
    prisma.alert.findMany({ where: { state: { not: "resolved" }, rule: { kind: { in: kinds } } }, select: { ruleId: true, subject: true } }),
  ]);
  const rules: AlertRuleView[] = [];
  const skipped: string[] = [];
  for (const row of rows) {
    const view = alertRuleViewOf(row);
    if (view) rules.push(view);
    else skipped.push(row.id);
  }
  if (skipped.length > 0) log.error({ rules: skipped }, "alert rules left out of the engine: their stored params do not parse");
  return { rules, open, skipped };
}
