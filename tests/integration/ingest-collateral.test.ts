import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isInputError, parseInput, type InputError } from "@/lib/contracts/api-error";
import { ingestCollateralSchema, type IngestCollateralInput } from "@/lib/contracts/ingest-collateral";
import { persistCollateralEntries } from "@/lib/server/ingest/persist-collateral";
import { createTestDatabase, type TestDatabase } from "../support/test-database";

describe("collateral ingest persistence", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db?.drop());

  const ingest = (body: IngestCollateralInput) => persistCollateralEntries(db.prisma, parseInput(ingestCollateralSchema, body).entries);
  async function inputErrorOf(promise: Promise<unknown>): Promise<InputError> {
    const error = await promise.then(() => null, (e: unknown) => e);
    if (!isInputError(error)) throw new Error(`expected an InputError, got ${String(error)}`);
    return error;
  }
  /** accounts.collateral and the sum of the account's ledger, and the last balanceAfter. */
  async function books(accountId: string) {
    const [row] = await db.prisma.$queryRaw<{ collateral: string; ledger_sum: string; last_balance: string }[]>`
      SELECT trim_scale(a.collateral)::text AS collateral,
             trim_scale(coalesce((SELECT sum(amount) FROM collateral_ledger WHERE account_id = a.id), 0))::text AS ledger_sum,
             trim_scale((SELECT balance_after FROM collateral_ledger WHERE account_id = a.id ORDER BY id DESC LIMIT 1))::text AS last_balance
        FROM accounts a WHERE a.id = ${accountId}`;
    return row;
  }

  it("appends entries with running balances and creates unknown accounts", async () => {
    const result = await ingest({ entries: [
      { accountId: "c1", amount: 1000.1, kind: "deposit", idempotencyKey: "dep-1" },
      { accountId: "c2", amount: "0.000000000000000001", kind: "deposit", idempotencyKey: "dep-2", note: "dust" },
      { accountId: "c1", amount: -0.3, kind: "withdrawal", idempotencyKey: "wd-1" },
      { accountId: "c1", amount: "0.2", kind: "adjustment", idempotencyKey: "adj-1" },
    ] });
    expect(result.applied.map((a) => [a.accountId, a.kind, a.amount, a.balanceAfter])).toEqual([
      ["c1", "deposit", "1000.1", "1000.1"],
      ["c2", "deposit", "0.000000000000000001", "0.000000000000000001"],
      ["c1", "withdrawal", "-0.3", "999.8"],
      ["c1", "adjustment", "0.2", "1000"],
    ]);
    expect(result.replayed).toBe(0);
    expect(result.newAccountIds.sort()).toEqual(["c1", "c2"]);
    expect(result.balances).toEqual([{ accountId: "c1", collateral: "1000" }, { accountId: "c2", collateral: "0.000000000000000001" }]);
    expect(await books("c1")).toEqual({ collateral: "1000", ledger_sum: "1000", last_balance: "1000" });
    const note = await db.prisma.collateralLedgerEntry.findUniqueOrThrow({ where: { idempotencyKey: "ingest:dep-2" } });
    expect(note.note).toBe("dust");
  });

  it("a replayed idempotency key applies once", async () => {
    const replay = await ingest({ entries: [
      { accountId: "c1", amount: "1000.10", kind: "deposit", idempotencyKey: "dep-1" },
      { accountId: "c1", amount: 5, kind: "deposit", idempotencyKey: "dep-3" },
      { accountId: "c1", amount: 5, kind: "deposit", idempotencyKey: "dep-3" },
    ] });
    expect(replay.applied.map((a) => [a.idempotencyKey, a.balanceAfter])).toEqual([["dep-3", "1005"]]);
    expect(replay.replayed).toBe(2);
    const again = await ingest({ entries: [{ accountId: "c1", amount: 5, kind: "deposit", idempotencyKey: "dep-3" }] });
    expect(again).toEqual({ applied: [], replayed: 1, balances: [], newAccountIds: [], isolatedPositions: [] });
    expect(await books("c1")).toEqual({ collateral: "1005", ledger_sum: "1005", last_balance: "1005" });
    expect(await db.prisma.collateralLedgerEntry.count({ where: { idempotencyKey: "ingest:dep-3" } })).toBe(1);
  });

  it("a key reused for a different entry is refused naming it, and the batch changes nothing", async () => {
    const error = await inputErrorOf(ingest({ entries: [
      { accountId: "c3", amount: 7, kind: "deposit", idempotencyKey: "dep-new" },
      { accountId: "c1", amount: 6, kind: "deposit", idempotencyKey: "dep-3" },
    ] }));
    expect(error.fields).toEqual([{
      path: "entries[1].idempotencyKey",
      message: 'key "dep-3" was already applied to a different entry (deposit of 5 on account "c1")',
    }]);
    const inBatch = await inputErrorOf(ingest({ entries: [
      { accountId: "c3", amount: 7, kind: "deposit", idempotencyKey: "k" },
      { accountId: "c3", amount: 8, kind: "deposit", idempotencyKey: "k" },
    ] }));
    expect(inBatch.fields.map((f) => f.path)).toEqual(["entries[1].idempotencyKey"]);
    expect(await db.prisma.account.findUnique({ where: { id: "c3" } })).toBeNull();
    expect(await books("c1")).toEqual({ collateral: "1005", ledger_sum: "1005", last_balance: "1005" });
  });

  it("two concurrent batches with the same new key apply it once", async () => {
    const entry = { accountId: "race", amount: 10, kind: "deposit" as const, idempotencyKey: "race-1" };
    const results = await Promise.all([ingest({ entries: [entry] }), ingest({ entries: [entry] }), ingest({ entries: [entry] })]);
    expect(results.map((r) => r.applied.length).sort()).toEqual([0, 0, 1]);
    expect(await books("race")).toEqual({ collateral: "10", ledger_sum: "10", last_balance: "10" });
  });

  it("the schema refuses wrong signs, too many decimals and unknown kinds, naming each field", () => {
    const paths = (body: unknown) => {
      try {
        parseInput(ingestCollateralSchema, body);
        return [];
      } catch (error) {
        return isInputError(error) ? error.fields.map((f) => `${f.path}: ${f.message}`) : ["?"];
      }
    };
    expect(paths({ entries: [
      { accountId: "a", amount: -1, kind: "deposit", idempotencyKey: "x1" },
      { accountId: "a", amount: 1, kind: "withdrawal", idempotencyKey: "x2" },
      { accountId: "a", amount: "0.0000000000000000001", kind: "adjustment", idempotencyKey: "x3" },
      { accountId: "a", amount: 1, kind: "topup", idempotencyKey: "x4" },
      { accountId: "a", amount: 0, kind: "adjustment", idempotencyKey: "x5" },
    ] })).toEqual([
      "entries[0].amount: a deposit must be > 0 (got -1)",
      "entries[1].amount: a withdrawal is signed as it moves the balance: must be < 0 (got 1)",
      'entries[2].amount: "0.0000000000000000001" has more than 18 decimals',
      'entries[3].kind: must be one of deposit, withdrawal, adjustment, isolated_margin (got "topup")',
      "entries[4].amount: must not be 0",
    ]);
  });

  it("balances stay equal to the ledger sum over many batches with mixed accounts", async () => {
    const amounts = ["0.1", "0.2", "-0.3", "123456789.123456789123456789", "-0.000000000000000007", "42"];
    for (let b = 0; b < 5; b++) {
      await ingest({ entries: Array.from({ length: 300 }, (_, i) => {
        const amount = amounts[(i + b) % amounts.length]!;
        return { accountId: `m${i % 17}`, amount, kind: "adjustment" as const, idempotencyKey: `mix-${b}-${i}` };
      }) });
    }
    const mismatches = await db.prisma.$queryRaw<{ id: string }[]>`
      SELECT a.id FROM accounts a
       WHERE a.collateral <> coalesce((SELECT sum(amount) FROM collateral_ledger l WHERE l.account_id = a.id), 0)
          OR a.collateral <> coalesce((SELECT balance_after FROM collateral_ledger l WHERE l.account_id = a.id ORDER BY id DESC LIMIT 1), 0)`;
    expect(mismatches).toEqual([]);
  });
});
