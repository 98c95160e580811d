// One source for the risk parameters (issue 16, item 3): the engine, the top-up preview, the pages'
// snapshots and the browser's ratio bands all follow the parameters the runtime was started with,
// not spec §6's defaults.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ratioBand, ratioBands } from "@/lib/client/ratio-bands";
import { DEFAULT_RISK_PARAMS, type AccountStatus } from "@/lib/risk";
import type { Runtime } from "@/lib/server/runtime";
import { createTestDatabase, type TestDatabase } from "../support/test-database";
import { deskStreamOf, engineSettled, setMark, startTestRuntime } from "../support/test-runtime";

/** Not the defaults: warning from 60% (not 80%), backstop above 200% (not 150%). */
const PARAMS = { warnRatio: 0.6, backstopFraction: 0.5 };

describe("risk parameters: one source, the running configuration", () => {
  let db: TestDatabase;
  let runtime: Runtime;

  /** An account holding 1 BTC at the mark with collateral such that its margin ratio is `ratio`. */
  async function accountAt(id: string, ratio: number): Promise<void> {
    await runtime.services.ingest.positions({ source: "venue", updates: [{ accountId: id, marketId: "BTC-PERP", qty: 1, entryPrice: 60000, seq: 1 }] });
    await engineSettled(runtime);
    const mm = (await runtime.services.accounts.view(id))!.maintenanceMargin!;
    await runtime.services.ingest.collateral({ entries: [{ accountId: id, amount: (mm / ratio).toFixed(2), kind: "deposit", idempotencyKey: `${id}-dep` }] });
    await engineSettled(runtime);
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    runtime = await startTestRuntime(db, { LIQDESK_STALE_AFTER_MS: "600000" }, "0", { riskParams: PARAMS });
    await setMark(runtime, "BTC-PERP", 60000);
    await accountAt("p-warn", 0.7); // warning at 60%, healthy at the default 80%
    await accountAt("p-liq", 1.8); // liquidatable below 200%, backstop above the default 150%
    await deskStreamOf(runtime).start(() => undefined); // the desk snapshot, without the socket feeds
  });
  afterAll(async () => {
    await runtime?.stop();
    await db?.drop();
  });

  it("the desk snapshot and the account detail carry the running parameters", async () => {
    expect(runtime.services.desk.snapshot().riskParams).toMatchObject(PARAMS);
    expect((await runtime.services.accounts.detail("p-warn")).riskParams).toMatchObject(PARAMS);
    expect(runtime.services.desk.snapshot().riskParams.warnRatio).not.toBe(DEFAULT_RISK_PARAMS.warnRatio);
  });

  it("the browser's bands, built from what the server sent, agree with the engine's statuses", async () => {
    const bands = ratioBands((await runtime.services.accounts.detail("p-warn")).riskParams);
    expect(bands).toEqual({ warn: 0.6, liquidation: 1, backstop: 2 });
    const expected: Record<string, AccountStatus> = { "p-warn": "warning", "p-liq": "liquidatable" };
    for (const [id, status] of Object.entries(expected)) {
      const view = (await runtime.services.accounts.view(id))!;
      expect(view.status).toBe(status);
      expect(ratioBand(view.marginRatio, bands)).toBe(status);
      // At the defaults' bands the same ratio would be coloured otherwise: the bands do follow the parameters.
      expect(ratioBand(view.marginRatio, ratioBands(DEFAULT_RISK_PARAMS))).not.toBe(status);
    }
  });

  it("the top-up preview judges by the running parameters, as the engine does", async () => {
    for (const id of ["p-warn", "p-liq"]) {
      const view = (await runtime.services.accounts.view(id))!;
      const preview = await runtime.services.accounts.previewTopUp(id, {});
      expect(preview.before.status).toBe(view.status);
      expect(preview.before.marginRatio).toBeCloseTo(view.marginRatio!, 9);
    }
    // "Top up to healthy" is to below the running warning ratio (60%), not the default 80%.
    const preset = (await runtime.services.accounts.previewTopUp("p-warn", {})).presets.healthy!;
    const after = (await runtime.services.accounts.previewTopUp("p-warn", { amount: preset })).after;
    expect(after.status).toBe("healthy");
    expect(after.marginRatio!).toBeLessThan(PARAMS.warnRatio);
    expect(after.marginRatio!).toBeGreaterThan(PARAMS.warnRatio - 0.01);
  });
});
