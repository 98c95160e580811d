import type pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { IngestClient } from "../support/ingest-client";
import { queryServerDatabase, runScript, startAppServer, stopAndRemove, type AppServer } from "../support/app-server";
import { signIn, DEMO_DESK } from "../support/sign-in";

const ENV = { LIQDESK_SIMULATOR: "off", LIQDESK_EXECUTION: "off", LIQDESK_STALE_AFTER_MS: "3600000" };
const ACCOUNTS = Array.from({ length: 6 }, (_, i) => `kill-al-${i}`);
/** BTC at HEALTHY: every account healthy; at DANGER: every account at or below maintenance (liquidatable or worse). */
const HEALTHY = 62_000;
const DANGER = 59_000;
const RULE = "status-liquidatable";

interface AlertRow { id: string; subject: string; state: string; acknowledged_by: string | null }

/**
 * Alerts raised by the engine (status rules on price moves), acknowledged by the desk, then kill -9
 * while prices swing the accounts in and out of danger: after the restart nothing acknowledged is
 * lost, no rule and subject has two unresolved alerts, every alert was raised (and audited) once,
 * and the unresolved alerts are exactly the accounts the engine now finds in danger.
 */
describe("alerts survive kill -9", () => {
  let server: AppServer | null = null;
  afterAll(async () => {
    await stopAndRemove(server);
  });

  const query = <T extends pg.QueryResultRow>(sql: string, params: unknown[] = []) => queryServerDatabase<T>(server!, sql, params);

  const alertsOfRule = () => query<AlertRow>(
    "SELECT id::text, subject, state::text, acknowledged_by FROM alerts WHERE rule_id = $1 AND subject LIKE 'account:kill-al-%' ORDER BY id", [RULE]);

  async function until(what: string, check: () => Promise<boolean>, ms = 30_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`${what} not reached in ${ms} ms:\n${server!.output().slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  it("kill -9 while alerts are raised, acknowledged and flapping: after restart nothing is lost or doubled", async () => {
    server = await startAppServer({ env: ENV });
    const token = runScript(server, "token", ["create", "kill-al"]).trim();
    const ingest = new IngestClient(server.url, token);
    await ingest.mark("BTC-PERP", HEALTHY);
    await ingest.post("collateral", { entries: ACCOUNTS.map((a) => ({ accountId: a, amount: "20000", kind: "deposit", idempotencyKey: `${a}-dep` })) });
    await ingest.post("positions", { source: "kill-al", updates: ACCOUNTS.map((a) => ({ accountId: a, marketId: "BTC-PERP", qty: 12, entryPrice: 61_200, seq: 1 })) });
    expect(await alertsOfRule()).toEqual([]);
    // The default rule resolves a minute after the account is out of danger (anti-flap): this test
    // flaps on purpose and checks each resolve, so its rule resolves at once.
    const desk = await signIn(server.url, DEMO_DESK.email, DEMO_DESK.password);
    const patched = await desk.fetch(`/api/v1/alert-rules/${RULE}`, { method: "PATCH", headers: { "content-type": "application/json" }, body: JSON.stringify({ params: { clearAfterMs: 0 } }) });
    expect(patched.status, await patched.clone().text()).toBe(200);

    // Into danger: one alert per account, raised by the engine.
    await ingest.mark("BTC-PERP", DANGER);
    await until("one alert per account", async () => (await alertsOfRule()).filter((a) => a.state !== "resolved").length === ACCOUNTS.length);
    const first = await alertsOfRule();
    const acknowledged = first.slice(0, 2);
    for (const a of acknowledged) {
      const res = await desk.post(`/api/v1/alerts/${a.id}/acknowledge`, { note: "kill test" });
      expect(res.status).toBe(200);
    }

    // Prices swing every account in and out of danger while the server is killed.
    let stop = false;
    let swings = 0;
    const swing = (async () => {
      for (let i = 0; !stop; i++) {
        try {
          await ingest.mark("BTC-PERP", i % 2 === 0 ? HEALTHY : DANGER);
          swings++;
        } catch (error) {
          if (stop) return;
          throw error;
        }
      }
    })();
    await until("a few swings", async () => swings >= 6);
    // Back in danger, then killed while the swing goes on.
    await new Promise((r) => setTimeout(r, 150));
    stop = true;
    await server.kill();
    await Promise.allSettled([swing]);

    server = await startAppServer({ dataDir: server.dataDir, env: ENV });
    const deskAfter = await signIn(server.url, DEMO_DESK.email, DEMO_DESK.password);
    // The engine's verdict on each account now.
    const statusOf = async (accountId: string) => {
      const res = await deskAfter.fetch(`/api/v1/accounts/${accountId}`);
      expect(res.status).toBe(200);
      return (await res.json() as { view: { status: string } }).view.status;
    };
    let seen = "";
    const consistent = async () => {
      const rows = await alertsOfRule();
      const views = await Promise.all(ACCOUNTS.map(async (a) => ({ a, status: await statusOf(a), unresolved: rows.filter((r) => r.subject === `account:${a}` && r.state !== "resolved").length })));
      seen = JSON.stringify(views);
      return views.every((v) => v.unresolved === (["liquidatable", "backstop", "bankrupt"].includes(v.status) ? 1 : 0));
    };
    await until("unresolved alerts = accounts in danger", consistent).catch((e: Error) => {
      throw new Error(`${e.message.slice(0, 200)}\nlast seen: ${seen}`);
    });

    // Put every account in danger once more: each has exactly one unresolved alert, none doubled.
    const ingestAfter = new IngestClient(server.url, token);
    await ingestAfter.mark("BTC-PERP", DANGER);
    await until("every account in danger has its alert", async () => (await alertsOfRule()).filter((r) => r.state !== "resolved").length === ACCOUNTS.length);
    const after = await alertsOfRule();
    for (const a of ACCOUNTS) expect(after.filter((r) => r.subject === `account:${a}` && r.state !== "resolved"), a).toHaveLength(1);
    // Nothing lost: every alert seen before the kill is still there, acknowledged ones with who acknowledged them.
    const byId = new Map(after.map((r) => [r.id, r]));
    for (const a of first) expect(byId.get(a.id), `alert #${a.id}`).toBeDefined();
    for (const a of acknowledged) expect(byId.get(a.id)!.acknowledged_by).not.toBeNull();
    // Every alert raised once and resolved at most once: one raise audit row and one "raised" event each.
    const audit = await query<{ alert: string; action: string; n: string }>(
      "SELECT details->>'alertId' AS alert, action, count(*)::text AS n FROM audit_log WHERE action IN ('alert.raise', 'alert.resolve') AND account_id LIKE 'kill-al-%' GROUP BY 1, 2");
    const events = await query<{ alert: string; kind: string; n: string }>(
      "SELECT e.alert_id::text AS alert, e.kind, count(*)::text AS n FROM alert_events e JOIN alerts a ON a.id = e.alert_id WHERE a.rule_id = $1 AND a.subject LIKE 'account:kill-al-%' GROUP BY 1, 2", [RULE]);
    for (const r of after) {
      expect(audit.find((x) => x.alert === r.id && x.action === "alert.raise")?.n, `raise audit of #${r.id}`).toBe("1");
      expect(events.find((x) => x.alert === r.id && x.kind === "raised")?.n, `raised event of #${r.id}`).toBe("1");
      expect(Number(events.find((x) => x.alert === r.id && x.kind === "resolved")?.n ?? 0)).toBe(r.state === "resolved" ? 1 : 0);
    }
  });
});
