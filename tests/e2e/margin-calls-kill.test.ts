import type pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import type { MarginCallView } from "@/lib/contracts/margin-calls";
import { IngestClient } from "../support/ingest-client";
import { queryServerDatabase, runScript, startAppServer, stopAndRemove, type AppServer } from "../support/app-server";
import { signIn, DEMO_DESK } from "../support/sign-in";

const ENV = { LIQDESK_SIMULATOR: "off", LIQDESK_EXECUTION: "off", LIQDESK_STALE_AFTER_MS: "3600000" };
const ACCOUNTS = Array.from({ length: 8 }, (_, i) => `kill-mc-${i}`);

interface Row { id: string; account_id: string; state: string; deadline: Date; expiry_alert_id: string | null }

describe("margin calls survive kill -9", () => {
  let server: AppServer | null = null;
  afterAll(async () => {
    await stopAndRemove(server);
  });

  const query = <T extends pg.QueryResultRow>(sql: string, params: unknown[] = []) => queryServerDatabase<T>(server!, sql, params);

  /** What may never be lost or doubled: the calls, and per call its issue, met and expired audit rows and its escalation alerts. */
  async function ledgerOfCalls() {
    const calls = await query<Row>("SELECT id::text, account_id, state::text, deadline, expiry_alert_id::text FROM margin_calls ORDER BY id");
    const audit = await query<{ call: string; action: string; n: string }>(
      "SELECT details->>'callId' AS call, action, count(*)::text AS n FROM audit_log WHERE action LIKE 'margin_call.%' GROUP BY 1, 2 ORDER BY 1, 2");
    const alerts = await query<{ subject: string; n: string }>("SELECT subject, count(*)::text AS n FROM alerts WHERE subject LIKE 'margin_call:%' GROUP BY 1 ORDER BY 1");
    return { calls, audit, alerts };
  }

  it("kill -9 while calls are open and deposits and issues are in flight: after restart nothing is lost or doubled, deadlines re-armed, credits re-counted", async () => {
    server = await startAppServer({ env: ENV });
    const ingestToken = runScript(server, "token", ["create", "kill-mc"]).trim();
    const ingest = new IngestClient(server.url, ingestToken);
    await ingest.mark("BTC-PERP", 62000);
    await ingest.post("collateral", { entries: ACCOUNTS.map((a) => ({ accountId: a, amount: "20000", kind: "deposit", idempotencyKey: `${a}-dep` })) });
    await ingest.post("positions", { source: "kill-venue", updates: ACCOUNTS.map((a) => ({ accountId: a, marketId: "BTC-PERP", qty: 12, entryPrice: 61200, seq: 1 })) });
    await ingest.mark("BTC-PERP", 60000);
    const desk = await signIn(server.url, DEMO_DESK.email, DEMO_DESK.password);
    const issue = (accountId: string, amount: string, deadlineMs: number) =>
      desk.post(`/api/v1/accounts/${accountId}/margin-calls`, { amount, deadline: new Date(Date.now() + deadlineMs).toISOString(), message: "kill test" });
    const acknowledged = new Map<string, { accountId: string; amount: string; deadline: number }>();
    const issued = async (accountId: string, amount: string, deadlineMs: number) => {
      const res = await issue(accountId, amount, deadlineMs);
      expect(res.status).toBe(201);
      const call = await res.json() as MarginCallView;
      acknowledged.set(call.id, { accountId, amount, deadline: call.deadline });
      return call.id;
    };
    // Paid by the deposits streamed below; expiring while the server is down; open for an hour.
    const paid = [await issued("kill-mc-0", "5", 600_000), await issued("kill-mc-1", "5", 600_000)];
    const expiring = [await issued("kill-mc-2", "100", 8000), await issued("kill-mc-3", "100", 8000)];
    const open = [await issued("kill-mc-4", "100", 3_600_000), await issued("kill-mc-5", "100", 3_600_000)];

    let stop = false;
    const deposits = new Map<string, number>();
    const stream = async (accountId: string) => {
      for (let i = 0; !stop; i++) {
        try {
          const res = await fetch(`${server!.url}/api/v1/ingest/collateral`, {
            method: "POST", headers: { authorization: `Bearer ${ingestToken}`, "content-type": "application/json" },
            body: JSON.stringify({ entries: [{ accountId, amount: "1", kind: "deposit", idempotencyKey: `kill-mc:${accountId}:${i}` }] }),
          });
          if (res.status !== 200) throw new Error(`ingest answered ${res.status}: ${await res.text()}`);
          deposits.set(accountId, (deposits.get(accountId) ?? 0) + 1);
        } catch (error) {
          if (stop) return;
          throw error;
        }
      }
    };
    // Issues racing one another on accounts without a call: one may be written, never two.
    const issuesInFlight = async (accountId: string) => {
      while (!stop) {
        try {
          const res = await issue(accountId, "50", 3_600_000);
          if (res.status === 201) {
            const call = await res.json() as MarginCallView;
            acknowledged.set(call.id, { accountId, amount: "50", deadline: call.deadline });
          } else if (res.status !== 409) throw new Error(`issue answered ${res.status}: ${await res.text()}`);
        } catch (error) {
          if (stop) return;
          throw error;
        }
      }
    };
    const lanes = [stream("kill-mc-0"), stream("kill-mc-1"), issuesInFlight("kill-mc-6"), issuesInFlight("kill-mc-6"), issuesInFlight("kill-mc-7")];
    // Kill once each paid call's deposits are acknowledged (≥ 5 × 1 USD), while the streams and races go on.
    const enough = Date.now() + 60_000;
    while ((deposits.get("kill-mc-0") ?? 0) < 6 || (deposits.get("kill-mc-1") ?? 0) < 6) {
      if (Date.now() > enough) throw new Error(`deposits acknowledged: ${JSON.stringify([...deposits])}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    await new Promise((r) => setTimeout(r, 300));
    stop = true;
    await server.kill();
    await Promise.allSettled(lanes);
    expect(deposits.get("kill-mc-0") ?? 0).toBeGreaterThanOrEqual(5);
    expect(deposits.get("kill-mc-1") ?? 0).toBeGreaterThanOrEqual(5);

    server = await startAppServer({ dataDir: server.dataDir, env: ENV });
    // The expiring calls' deadlines passed while the server was down (or pass now): the re-armed timer expires them.
    const deadline = Date.now() + 20_000;
    while ((await query<{ n: string }>("SELECT count(*)::text AS n FROM margin_calls WHERE id = ANY($1::bigint[]) AND state = 'open'", [expiring]))[0]!.n !== "0") {
      if (Date.now() > deadline) throw new Error(`expiring calls still open:\n${server.output().slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const after = await ledgerOfCalls();
    const byId = new Map(after.calls.map((c) => [c.id, c]));
    // Nothing lost: every acknowledged call is there, as it was issued.
    for (const [id, a] of acknowledged) {
      expect(byId.get(id), `call #${id}`).toMatchObject({ account_id: a.accountId });
      expect(byId.get(id)!.deadline.getTime()).toBe(a.deadline);
    }
    // Nothing doubled: one call per racing account at most, at most one open per account, one issue audit per call.
    for (const accountId of ["kill-mc-6", "kill-mc-7"]) expect(after.calls.filter((c) => c.account_id === accountId).length).toBeLessThanOrEqual(1);
    for (const accountId of ACCOUNTS) expect(after.calls.filter((c) => c.account_id === accountId && c.state === "open").length).toBeLessThanOrEqual(1);
    const auditOf = (id: string, action: string) => Number(after.audit.find((a) => a.call === id && a.action === action)?.n ?? 0);
    for (const c of after.calls) expect(auditOf(c.id, "margin_call.issue"), `issue audit of #${c.id}`).toBe(1);
    // Paid by acknowledged deposits (≥ 5 × 1 USD after the call): met, once, whether the kill came before or after the check.
    for (const id of paid) {
      expect(byId.get(id)!.state).toBe("met");
      expect(auditOf(id, "margin_call.met")).toBe(1);
    }
    // Expired once, with exactly one escalation alert each.
    for (const id of expiring) {
      expect(byId.get(id)!.state).toBe("expired");
      expect(auditOf(id, "margin_call.expired")).toBe(1);
      expect(after.alerts.find((a) => a.subject === `margin_call:${id}`)?.n).toBe("1");
      expect(byId.get(id)!.expiry_alert_id).not.toBeNull();
    }
    for (const id of open) expect(byId.get(id)!.state).toBe("open");

    // A clean restart moves nothing again.
    expect(await server.stop()).toBe(0);
    server = await startAppServer({ dataDir: server.dataDir, env: ENV });
    await new Promise((r) => setTimeout(r, 1000));
    expect(await ledgerOfCalls()).toEqual(after);
  });
});
