import { describe, expect, it } from "vitest";
import { isInputError } from "@/lib/contracts/api-error";
import type { UserPrincipal } from "@/lib/server/auth/policy";
import { createUser } from "@/lib/server/auth/users";
import { HttpError } from "@/lib/server/errors";
import { engineOf, engineSettled, perTestRuntime, setMark, startTestRuntime } from "../support/test-runtime";

let trader: UserPrincipal;

/** Spec §11 "add margin": the top-up path with `marketId`, moving cross collateral into an isolated position. */
describe("add margin to an isolated position", () => {
  const t = perTestRuntime();

  async function start() {
    t.runtime = await startTestRuntime(t.db, { LIQDESK_TOPUP_MAX: "100000", LIQDESK_TOPUP_RATE_LIMIT: "50" });
    await setMark(t.runtime, "BTC-PERP", 60000);
    await t.runtime.services.ingest.collateral({ entries: [{ accountId: "trader", amount: "1000", kind: "deposit", idempotencyKey: "dep" }] });
    await t.runtime.services.ingest.positions({ source: "venue", updates: [
      { accountId: "trader", marketId: "BTC-PERP", qty: 0.5, entryPrice: 60000, seq: 1, marginMode: "isolated", isolatedMargin: "150" },
    ] });
    await setMark(t.runtime, "BTC-PERP", 59900); // margin 150 − 50 = 100 <= MM 119.8: the position is queued
    await engineSettled(t.runtime);
    const user = await createUser(t.db.prisma, { email: "t@t.test", name: "T", role: "trader", accountIds: ["trader"], password: "integration-pw" });
    trader = { kind: "user", userId: user.id, email: "t@t.test", name: "T", role: "trader", accountIds: ["trader"] };
    return t.runtime;
  }

  it("previews the position's own before → after, moves the amount once per key, and its liquidation price moves away", async () => {
    const runtime = await start();
    const accounts = runtime.services.accounts;
    const preview = await accounts.previewTopUp("trader", { amount: "250", marketId: "BTC-PERP" });
    expect(preview).toMatchObject({ marketId: "BTC-PERP", amount: "250", crossCollateral: { before: 1000, after: 750 } });
    expect(preview.before).toMatchObject({ collateral: 150, status: "liquidatable", inQueue: true });
    expect(preview.after).toMatchObject({ collateral: 400, status: "healthy", inQueue: false });
    const liqBefore = preview.before.positions[0]!.liquidationPrice!;
    const liqAfter = preview.after.positions[0]!.liquidationPrice!;
    expect(liqBefore).toBeCloseTo((150 - 30000) / (0.5 * 0.004 - 0.5), 6);
    expect(liqAfter).toBeCloseTo((400 - 30000) / (0.5 * 0.004 - 0.5), 6);
    expect(liqAfter).toBeLessThan(liqBefore); // a long's liquidation price moves down, away from the mark
    expect(preview.presets.leaveQueue).not.toBeNull();

    const result = await accounts.submitTopUp(trader, "trader", { amount: "250", marketId: "BTC-PERP", idempotencyKey: "k-1" });
    expect(result.replayed).toBe(false);
    expect(result.entry).toMatchObject({ amount: "250", balanceAfter: "400", marketId: "BTC-PERP" });
    expect(result.view.collateral).toBe(750);
    const btc = result.view.positions.find((p) => p.marketId === "BTC-PERP")!;
    expect(btc.isolated).toMatchObject({ isolatedMargin: 400, status: "healthy", queue: null });
    expect(btc.liquidationPrice).toBeCloseTo(liqAfter, 6);
    expect((await engineOf(runtime).client.queue(Date.now())).items).toEqual([]);

    // The same key again: a replay, nothing moves twice.
    const again = await accounts.submitTopUp(trader, "trader", { amount: "250", marketId: "BTC-PERP", idempotencyKey: "k-1" });
    expect(again.replayed).toBe(true);
    const [account, position, ledger, audit] = await Promise.all([
      t.db.prisma.account.findUniqueOrThrow({ where: { id: "trader" } }),
      t.db.prisma.position.findUniqueOrThrow({ where: { accountId_marketId: { accountId: "trader", marketId: "BTC-PERP" } } }),
      t.db.prisma.collateralLedgerEntry.findMany({ where: { accountId: "trader", kind: "isolated_margin" } }),
      t.db.prisma.auditLog.count({ where: { accountId: "trader", action: "topup.isolated_margin" } }),
    ]);
    expect([account.collateral.toFixed(), position.isolatedMargin?.toFixed()]).toEqual(["750", "400"]);
    expect(ledger.map((l) => [l.amount.toFixed(), l.balanceAfter.toFixed(), l.marketId, l.idempotencyKey])).toEqual([["-250", "750", "BTC-PERP", `topup:${trader.userId}:k-1`]]);
    expect(audit).toBe(1);
    // The same key for another amount is a conflict.
    const conflict = await accounts.submitTopUp(trader, "trader", { amount: "5", marketId: "BTC-PERP", idempotencyKey: "k-1" }).then(() => null, (e: unknown) => e);
    expect(conflict instanceof HttpError && conflict.status).toBe(409);
  });

  it("refuses more than the cross balance allows, or a position that is not isolated, naming the field, and writes nothing", async () => {
    const runtime = await start();
    const accounts = runtime.services.accounts;
    await runtime.services.ingest.positions({ source: "venue", updates: [{ accountId: "trader", marketId: "ETH-PERP", qty: 1, entryPrice: 3000, seq: 1 }] });
    await setMark(runtime, "ETH-PERP", 3000);
    const cases: [Record<string, unknown>, string][] = [
      [{ amount: "1000.01", marketId: "BTC-PERP" }, "amount"],
      [{ amount: "10", marketId: "ETH-PERP" }, "marketId"],
      [{ amount: "10", marketId: "SOL-PERP" }, "marketId"],
    ];
    for (const [body, field] of cases) {
      const error = await accounts.submitTopUp(trader, "trader", { ...body, idempotencyKey: `bad-${field}-${String(body.marketId)}` }).then(() => null, (e: unknown) => e);
      expect(isInputError(error) && error.fields.map((f) => f.path), JSON.stringify(body)).toEqual([field]);
    }
    const preview = await accounts.previewTopUp("trader", { amount: "10", marketId: "ETH-PERP" }).then(() => null, (e: unknown) => e);
    expect(isInputError(preview) && preview.fields.map((f) => f.path)).toEqual(["marketId"]);
    const account = await t.db.prisma.account.findUniqueOrThrow({ where: { id: "trader" } });
    expect(account.collateral.toFixed()).toBe("1000");
    expect(await t.db.prisma.collateralLedgerEntry.count({ where: { kind: "isolated_margin" } })).toBe(0);
  });
});
