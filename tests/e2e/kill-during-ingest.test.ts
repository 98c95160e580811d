import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { runScript, startAppServer, stopAndRemove, type AppServer } from "../support/app-server";
import { INGEST_KEY_PREFIX } from "@/lib/server/ingest/persist-collateral";

describe("durability of acknowledged ingest", () => {
  let server: AppServer | null = null;
  afterAll(async () => {
    await stopAndRemove(server);
  });

  it("kill -9 of the server during a stream of ingests: every acknowledged item is there after restart", async () => {
    server = await startAppServer({ env: { LIQDESK_SIMULATOR: "off" } });
    const token = runScript(server, "token", ["create", "durability"]).trim();
    const acknowledged: string[] = [];
    let sent = 0;
    let stop = false;
    const stream = async (lane: number) => {
      for (let batch = 0; !stop; batch++) {
        const entries = Array.from({ length: 50 }, (_, i) => ({
          accountId: `kill-${lane}-${batch % 7}`, amount: "1.000000000000000001", kind: "deposit", idempotencyKey: `kill:${lane}:${batch}:${i}`,
        }));
        sent += entries.length;
        try {
          const res = await fetch(`${server!.url}/api/v1/ingest/collateral`, {
            method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify({ entries }),
          });
          if (res.status === 200) acknowledged.push(...entries.map((e) => e.idempotencyKey));
          else throw new Error(`ingest answered ${res.status}: ${await res.text()}`);
        } catch (error) {
          if (stop) return; // the server died under this request: not acknowledged
          throw error;
        }
      }
    };
    const lanes = [0, 1, 2].map(stream);
    await new Promise((r) => setTimeout(r, 2500));
    expect(acknowledged.length).toBeGreaterThan(100);
    stop = true;
    await server.kill();
    await Promise.allSettled(lanes);

    server = await startAppServer({ dataDir: server.dataDir, env: { LIQDESK_SIMULATOR: "off" } });
    const client = new pg.Client({ connectionString: server.databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ key: string }>(
        // A feed's keys are stored in the ingest namespace (lib/server/ingest/persist-collateral.ts).
        "SELECT substr(idempotency_key, length($2) + 1) AS key FROM collateral_ledger WHERE idempotency_key = ANY($1::text[])",
        [acknowledged.map((k) => INGEST_KEY_PREFIX + k), INGEST_KEY_PREFIX]);
      const present = new Set(rows.map((r) => r.key));
      expect(acknowledged.filter((k) => !present.has(k))).toEqual([]);
      // balances still equal the ledger after the crash
      const { rows: [check] } = await client.query<{ ok: boolean }>(
        `SELECT bool_and(a.collateral = l.s) AS ok FROM accounts a JOIN (SELECT account_id, sum(amount) s FROM collateral_ledger GROUP BY 1) l ON l.account_id = a.id`);
      expect(check!.ok).toBe(true);
    } finally {
      await client.end();
    }
    expect(sent).toBeGreaterThanOrEqual(acknowledged.length);
  });
});
