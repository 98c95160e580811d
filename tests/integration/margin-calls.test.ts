import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as authPost } from "@/app/api/auth/[...all]/route";
import { GET as getCalls, POST as postCall } from "@/app/api/v1/accounts/[id]/margin-calls/route";
import { POST as postCancel } from "@/app/api/v1/accounts/[id]/margin-calls/[callId]/cancel/route";
import { POST as postTopUp } from "@/app/api/v1/accounts/[id]/topups/route";
import { POST as postPreview } from "@/app/api/v1/accounts/[id]/topups/preview/route";
import type { MarginCallsResponse, MarginCallUpdate, MarginCallView } from "@/lib/contracts/margin-calls";
import type { TopUpPreview } from "@/lib/contracts/topup";
import { CLIENT_IP_HEADER, createAuth } from "@/lib/server/auth/auth";
import { setAuth } from "@/lib/server/auth/auth-registry";
import { createUser } from "@/lib/server/auth/users";
import { persistCollateralEntries } from "@/lib/server/ingest/persist-collateral";
import { createLogger } from "@/lib/server/logger";
import type { MarginCalls } from "@/lib/server/margin-calls/margin-calls";
import { cancelMarginCall, expireDue, insertMarginCall, meetByCredits, meetByHealth, type ExpiredCall } from "@/lib/server/margin-calls/margin-call-store";
import { applyAlertSignals } from "@/lib/server/alerts/alert-store";
import type { Prisma, PrismaClient } from "@/lib/server/db/prisma-client";
import { seedDatabase } from "@/lib/server/seed";
import type { Runtime } from "@/lib/server/runtime";
import { setServices } from "@/lib/server/services/services-registry";
import { createTestDatabase, type TestDatabase } from "../support/test-database";
import { engineSettled, setMark, startTestRuntime, testConfig } from "../support/test-runtime";

const SITE = "http://localhost:3000";
const PASSWORD = "margin-calls-pw";
const ENV = { LIQDESK_TOPUP_MAX: "100000", LIQDESK_TOPUP_RATE_LIMIT: "100", LIQDESK_STALE_AFTER_MS: "3600000" };
type Who = "desk" | "a" | "b";

/** The runtime's margin calls, to hear what it pushes (the socket feeds are not attached here). */
const marginCallsOf = (runtime: Runtime): MarginCalls => runtime["marginCalls"];

describe("margin calls", () => {
  let db: TestDatabase;
  let runtime: Runtime;
  const cookies = new Map<Who, string>();
  let pushed: MarginCallUpdate[] = [];
  let ip = 0;

  function request(method: string, path: string, who: Who, body?: unknown): Request {
    const headers: Record<string, string> = { cookie: cookies.get(who)!, host: "localhost:3000", [CLIENT_IP_HEADER]: `10.7.0.${(ip = (ip + 1) % 250)}` };
    if (method !== "GET") Object.assign(headers, { origin: SITE, "content-type": "application/json" });
    return new Request(`${SITE}${path}`, { method, headers, body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body) });
  }
  const issue = (who: Who, accountId: string, body: unknown) =>
    postCall(request("POST", `/api/v1/accounts/${accountId}/margin-calls`, who, body), { params: Promise.resolve({ id: accountId }) });
  const list = (who: Who, accountId: string) =>
    getCalls(request("GET", `/api/v1/accounts/${accountId}/margin-calls`, who), { params: Promise.resolve({ id: accountId }) });
  const cancel = (who: Who, accountId: string, callId: string, body: unknown) =>
    postCancel(request("POST", `/api/v1/accounts/${accountId}/margin-calls/${callId}/cancel`, who, body), { params: Promise.resolve({ id: accountId, callId }) });
  const topUp = (who: Who, accountId: string, amount: string, key: string) =>
    postTopUp(request("POST", `/api/v1/accounts/${accountId}/topups`, who, { amount, idempotencyKey: key, ...(who === "desk" ? { note: "test" } : {}) }),
      { params: Promise.resolve({ id: accountId }) });
  const preview = async (accountId: string) =>
    (await (await postPreview(request("POST", `/api/v1/accounts/${accountId}/topups/preview`, "desk", {}), { params: Promise.resolve({ id: accountId }) })).json()) as TopUpPreview;

  const inSeconds = (s: number) => new Date(Date.now() + s * 1000).toISOString();
  const deposit = (accountId: string, amount: string, key: string, kind = "deposit") =>
    runtime.services.ingest.collateral({ entries: [{ accountId, amount, kind, idempotencyKey: key }] });

  /** Everything an issue or a cancel may write: calls, their audit rows, alerts. */
  async function written() {
    const [calls, audit, alerts] = await Promise.all([
      db.prisma.$queryRaw<{ n: bigint; s: string }[]>`SELECT count(*) AS n, string_agg(id || ':' || state || ':' || amount, ',' ORDER BY id) AS s FROM margin_calls`,
      db.prisma.auditLog.count({ where: { action: { startsWith: "margin_call." } } }),
      db.prisma.alert.count(),
    ]);
    return { calls: calls[0], audit, alerts };
  }

  async function expectRefused(res: Promise<Response>, status: number, path?: string, message?: RegExp) {
    const before = await written();
    const r = await res;
    const body = await r.json() as { error: { code: string; message: string; fields?: { path: string; message: string }[] } };
    expect(r.status, JSON.stringify(body)).toBe(status);
    if (path !== undefined) {
      expect(body.error.code).toBe("invalid_input");
      const field = body.error.fields?.find((f) => f.path === path);
      expect(field, JSON.stringify(body.error.fields)).toBeDefined();
      if (message) expect(field!.message).toMatch(message);
    }
    expect(await written()).toEqual(before);
    return body;
  }

  async function callRow(id: string) {
    return db.prisma.marginCall.findUniqueOrThrow({ where: { id: BigInt(id) } });
  }

  async function waitForState(id: string, state: string, timeoutMs = 10_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const row = await callRow(id);
      if (row.state === state) return row;
      if (Date.now() > deadline) throw new Error(`call #${id} is ${row.state}, not ${state}, after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async function start() {
    runtime = await startTestRuntime(db, ENV);
    setServices(runtime.services);
    marginCallsOf(runtime).publishTo((u) => pushed.push(u));
  }

  /** The spec's "large-long": 12 BTC from 61,200 with 20,000 collateral: liquidatable at 60,000. */
  const LARGE_LONG = ["mc-a", "mc-b", "mc-c", "mc-x1", "mc-x2", "mc-r1", "mc-r2", "mc-r3", "mc-race"];

  beforeAll(async () => {
    db = await createTestDatabase();
    await start();
    setAuth(createAuth({ prisma: db.prisma, env: testConfig(ENV), secret: "margin-calls-secret-margin-calls-secret", log: createLogger("silent") }));
    await setMark(runtime, "BTC-PERP", 62000);
    await setMark(runtime, "ETH-PERP", 3000);
    await runtime.services.ingest.collateral({ entries: [
      ...LARGE_LONG.map((a) => ({ accountId: a, amount: "20000", kind: "deposit", idempotencyKey: `${a}-dep` })),
      { accountId: "mc-healthy", amount: "50000", kind: "deposit", idempotencyKey: "mc-healthy-dep" },
      // 100 ETH from 3,000 with 5,000: in danger at 3,000 (MM ≥ 4,635 of the 300,000 notional), healthy at 3,100 (equity 15,000).
      { accountId: "mc-eth", amount: "5000", kind: "deposit", idempotencyKey: "mc-eth-dep" },
    ] });
    await runtime.services.ingest.positions({ source: "venue", updates: [
      ...LARGE_LONG.map((a) => ({ accountId: a, marketId: "BTC-PERP", qty: 12, entryPrice: 61200, seq: 1 })),
      { accountId: "mc-healthy", marketId: "BTC-PERP", qty: 0.1, entryPrice: 60000, seq: 1 },
      { accountId: "mc-eth", marketId: "ETH-PERP", qty: 100, entryPrice: 3000, seq: 1 },
    ] });
    await setMark(runtime, "BTC-PERP", 60000);
    await engineSettled(runtime);
    await createUser(db.prisma, { email: "a@mc.test", name: "Trader A", role: "trader", accountIds: ["mc-a"], password: PASSWORD });
    await createUser(db.prisma, { email: "b@mc.test", name: "Trader B", role: "trader", accountIds: ["mc-b"], password: PASSWORD });
    await createUser(db.prisma, { email: "desk@mc.test", name: "Dana Desk", role: "desk", accountIds: [], password: PASSWORD });
    for (const [who, email] of [["a", "a@mc.test"], ["b", "b@mc.test"], ["desk", "desk@mc.test"]] as const) {
      const res = await authPost(new Request(`${SITE}/api/auth/sign-in/email`, {
        method: "POST", headers: { "content-type": "application/json", origin: SITE, [CLIENT_IP_HEADER]: `10.7.1.${cookies.size}` },
        body: JSON.stringify({ email, password: PASSWORD }),
      }));
      expect(res.status).toBe(200);
      cookies.set(who, res.headers.getSetCookie().map((c) => c.split(";")[0]).join("; "));
    }
  });
  afterAll(async () => {
    setAuth(undefined);
    setServices(undefined);
    await runtime?.stop();
    await db?.drop();
  });

  it("every bad input is a 400 naming the field, and nothing is saved", async () => {
    const ok = { deadline: inSeconds(600), message: "Please add collateral" };
    await expectRefused(issue("desk", "mc-a", { ...ok, deadline: inSeconds(-5) }), 400, "deadline", /must be in the future/);
    await expectRefused(issue("desk", "mc-a", { ...ok, deadline: Date.now() - 1 }), 400, "deadline", /must be in the future/);
    await expectRefused(issue("desk", "mc-a", { ...ok, deadline: inSeconds(31 * 86400) }), 400, "deadline", /at most 30 days/);
    await expectRefused(issue("desk", "mc-a", { ...ok, deadline: "tomorrow" }), 400, "deadline", /ISO 8601/);
    await expectRefused(issue("desk", "mc-a", { ...ok, deadline: "2030-01-01T10:00:00" }), 400, "deadline", /with its offset/);
    await expectRefused(issue("desk", "mc-a", { message: "x" }), 400, "deadline", /is required/);
    await expectRefused(issue("desk", "mc-a", { ...ok, amount: "0" }), 400, "amount", /> 0/);
    await expectRefused(issue("desk", "mc-a", { ...ok, amount: -5 }), 400, "amount", /> 0/);
    await expectRefused(issue("desk", "mc-a", { ...ok, amount: "1.0000001" }), 400, "amount", /decimals/);
    await expectRefused(issue("desk", "mc-a", { ...ok, amount: "100000.01" }), 400, "amount", /above the largest top-up, 100000 USD/);
    await expectRefused(issue("desk", "mc-a", { ...ok, message: undefined }), 400, "message", /is required/);
    await expectRefused(issue("desk", "mc-a", { ...ok, message: "   " }), 400, "message", /must not be empty or blank/);
    await expectRefused(issue("desk", "mc-a", { ...ok, message: "x".repeat(1001) }), 400, "message", /at most 1000 characters/);
    await expectRefused(issue("desk", "mc-a", { ...ok, message: "a\u0000b" }), 400, "message", /NUL/);
    await expectRefused(issue("desk", "mc-a", { ...ok, alertId: "999999" }), 400, "alertId", /no alert #999999/);
    await expectRefused(issue("desk", "mc-a", { ...ok, alertId: "x1" }), 400, "alertId");
    await expectRefused(issue("desk", "mc-a", "[1,2]"), 400, "(body)", /JSON object/);
    // An alert about another account is not a reason for this one's call.
    await db.prisma.alert.create({ data: { ruleId: "status-liquidatable", subject: "account:mc-b", accountId: "mc-b", severity: "warning", message: "t", raisedAt: new Date() } });
    const other = await db.prisma.alert.findFirstOrThrow({ where: { accountId: "mc-b" } });
    await expectRefused(issue("desk", "mc-a", { ...ok, alertId: other.id.toString() }), 400, "alertId", /about account "mc-b"/);
    // Not in danger: healthy, with its margin ratio in the message.
    await expectRefused(issue("desk", "mc-healthy", ok), 400, "accountId", /not in danger \(healthy, margin ratio/);
    // Several at once: each named.
    const shape = await expectRefused(issue("desk", "mc-healthy", { amount: "0", deadline: "soon", message: "" }), 400);
    expect(shape.error.fields!.map((f) => f.path).sort()).toEqual(["amount", "deadline", "message"]);
    const checks = await expectRefused(issue("desk", "mc-healthy", { amount: "100000.5", deadline: inSeconds(-1), message: "x" }), 400);
    expect(checks.error.fields!.map((f) => f.path).sort()).toEqual(["accountId", "amount", "deadline"]);
    await expectRefused(issue("desk", "mc-nobody", ok), 404);
    await expectRefused(cancel("desk", "mc-a", "abc", { note: "n" }), 400, "callId");
    await expectRefused(cancel("desk", "mc-a", "1", {}), 400, "note", /is required/);
    await expectRefused(cancel("desk", "mc-a", "424242", { note: "n" }), 404);
  });

  it("the desk issues a call: the amount defaults to the top-up-to-safe, audited with the issue, pushed; a second open call is a 409", async () => {
    const suggested = (await preview("mc-a")).presets.healthy!;
    expect(Number(suggested)).toBeGreaterThan(0);
    pushed = [];
    const deadline = inSeconds(3600);
    const res = await issue("desk", "mc-a", { deadline, message: "Your account is liquidatable: add collateral." });
    expect(res.status).toBe(201);
    const call = await res.json() as MarginCallView;
    expect(call).toMatchObject({
      accountId: "mc-a", state: "open", amount: suggested, suggestedAmount: suggested, remaining: suggested, credited: "0",
      deadline: Date.parse(deadline), message: "Your account is liquidatable: add collateral.", issuer: { name: "Dana Desk", email: "desk@mc.test" },
      statusAtIssue: "liquidatable", closedAt: null,
    });
    expect(pushed.map((p) => [p.accountId, p.call.id, p.call.state])).toEqual([["mc-a", call.id, "open"]]);
    const audit = await db.prisma.auditLog.findMany({ where: { action: "margin_call.issue", accountId: "mc-a" }, include: { user: true } });
    expect(audit).toHaveLength(1);
    expect(audit[0]!.user?.email).toBe("desk@mc.test");
    expect(audit[0]!.details).toMatchObject({ callId: call.id, amount: suggested, suggestedAmount: suggested });

    await expectRefused(issue("desk", "mc-a", { deadline, message: "again" }), 409);
    // Two at once on another account: one is written, the other is a 409.
    const race = await Promise.all([1, 2].map((i) => issue("desk", "mc-race", { amount: "10", deadline, message: `race ${i}` })));
    expect(race.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(await db.prisma.marginCall.count({ where: { accountId: "mc-race" } })).toBe(1);

    // Both pages list it; the desk also gets what a new call would ask.
    const desk = await (await list("desk", "mc-a")).json() as MarginCallsResponse;
    expect(desk.calls.map((c) => c.id)).toEqual([call.id]);
    expect(desk.suggestion).toMatchObject({ inDanger: true, status: "liquidatable" });
    const own = await (await list("a", "mc-a")).json() as MarginCallsResponse;
    expect(own.calls.map((c) => [c.id, c.state])).toEqual([[call.id, "open"]]);
    expect(own.suggestion).toBeNull();
  });

  it("a trader cannot issue or cancel a call (403), nor see another trader's calls (403); nothing is saved", async () => {
    const body = { amount: "10", deadline: inSeconds(600), message: "self-service" };
    await expectRefused(issue("a", "mc-a", body), 403);
    await expectRefused(issue("a", "mc-b", body), 403);
    const open = await db.prisma.marginCall.findFirstOrThrow({ where: { accountId: "mc-a", state: "open" } });
    await expectRefused(cancel("a", "mc-a", open.id.toString(), { note: "no" }), 403);
    const res = await list("b", "mc-a");
    expect(res.status).toBe(403);
    expect((await list("b", "mc-b")).status).toBe(200);
  });

  it("met when deposits and top-ups since the call reach its amount: withdrawals and earlier deposits do not count; audited once", async () => {
    await deposit("mc-c", "5", "mc-c-before"); // before the call: not counted
    const res = await issue("desk", "mc-c", { amount: "100", deadline: inSeconds(3600), message: "100 USD please" });
    expect(res.status).toBe(201);
    const call = await res.json() as MarginCallView;
    pushed = [];
    await deposit("mc-c", "60", "mc-c-1");
    await deposit("mc-c", "-500", "mc-c-w", "withdrawal");
    expect((await callRow(call.id)).state).toBe("open");
    const listed = (await (await list("desk", "mc-c")).json() as MarginCallsResponse).calls[0]!;
    expect([listed.credited, listed.remaining]).toEqual(["60", "40"]);
    expect((await topUp("desk", "mc-c", "39.99", "mc-c-t1")).status).toBe(201);
    expect((await callRow(call.id)).state).toBe("open");
    // The deposit replayed adds nothing.
    await deposit("mc-c", "60", "mc-c-1");
    expect((await callRow(call.id)).state).toBe("open");
    expect((await topUp("desk", "mc-c", "0.01", "mc-c-t2")).status).toBe(201);
    // Met before the top-up's answer: no waiting.
    const row = await callRow(call.id);
    expect(row).toMatchObject({ state: "met", closeReason: "credits", closedBy: "system" });
    expect(row.credited!.toFixed()).toBe("100");
    expect(await db.prisma.auditLog.count({ where: { action: "margin_call.met", accountId: "mc-c" } })).toBe(1);
    expect(pushed.filter((p) => p.call.id === call.id).map((p) => p.call.state)).toEqual(["met"]);
    // The account is still liquidatable: a new call may be issued.
    expect((await issue("desk", "mc-c", { amount: "5", deadline: inSeconds(60), message: "more" })).status).toBe(201);
  });

  it("met when the engine reports the account healthy again", async () => {
    const res = await issue("desk", "mc-eth", { deadline: inSeconds(3600), message: "ETH is against you" });
    expect(res.status).toBe(201);
    const call = await res.json() as MarginCallView;
    expect(call.statusAtIssue).not.toBe("healthy");
    await setMark(runtime, "ETH-PERP", 3100);
    const row = await waitForState(call.id, "met");
    expect(row.closeReason).toBe("healthy");
    expect(row.credited!.toFixed()).toBe("0");
    const audit = await db.prisma.auditLog.findMany({ where: { action: "margin_call.met", accountId: "mc-eth" } });
    expect(audit.map((a) => a.note)).toEqual(["the account is healthy again"]);
    expect(audit[0]!.details).toMatchObject({ callId: call.id, reason: "healthy" });
  });

  it("at its deadline an unmet call expires and raises exactly one escalation alert, audited with it", async () => {
    const res = await issue("desk", "mc-x1", { amount: "250.5", deadline: inSeconds(1.5), message: "quick" });
    expect(res.status).toBe(201);
    const call = await res.json() as MarginCallView;
    pushed = [];
    const row = await waitForState(call.id, "expired", 10_000);
    expect(row.closeReason).toBe("deadline");
    expect(row.closedAt!.getTime()).toBeGreaterThanOrEqual(call.deadline);
    const alerts = await db.prisma.alert.findMany({ where: { subject: `margin_call:${call.id}` } });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ ruleId: "margin-call-expired", accountId: "mc-x1", state: "open", value: 250.5 });
    expect(alerts[0]!.message).toMatch(/margin call #\d+ on account "mc-x1" for 250\.50 USD expired unmet at .*Z \(deposits and top-ups since: 0\.00 USD\)/);
    expect(row.expiryAlertId).toBe(alerts[0]!.id);
    const audit = await db.prisma.auditLog.findMany({ where: { accountId: "mc-x1", action: { in: ["margin_call.expired", "alert.raise"] } } });
    expect(audit.map((a) => a.action).sort()).toEqual(["alert.raise", "margin_call.expired"]);
    expect(pushed.filter((p) => p.call.id === call.id).map((p) => [p.call.state, p.call.expiryAlertId])).toEqual([["expired", alerts[0]!.id.toString()]]);
    // A cancel after it closed is a 409; nothing changes.
    await expectRefused(cancel("desk", "mc-x1", call.id, { note: "late" }), 409);
  });

  it("a call paid by its deadline but not yet counted is met at the deadline, not expired", async () => {
    const res = await issue("desk", "mc-x2", { amount: "10", deadline: inSeconds(1.5), message: "quick" });
    const call = await res.json() as MarginCallView;
    // Committed outside the runtime's path (as if the process died right after the commit): no check ran.
    await persistCollateralEntries(db.prisma, [{ accountId: "mc-x2", amount: "10", kind: "deposit", idempotencyKey: "mc-x2-quiet" }]);
    const row = await waitForState(call.id, "met", 10_000);
    expect(row.closeReason).toBe("credits");
    expect(await db.prisma.alert.count({ where: { subject: `margin_call:${call.id}` } })).toBe(0);
  });

  it("the desk cancels an open call with a note: audited, pushed; a second cancel is a 409", async () => {
    const open = await db.prisma.marginCall.findFirstOrThrow({ where: { accountId: "mc-a", state: "open" } });
    pushed = [];
    const res = await cancel("desk", "mc-a", open.id.toString(), { note: "  trader called in, paying by wire  " });
    expect(res.status).toBe(200);
    const view = await res.json() as MarginCallView;
    expect(view).toMatchObject({ state: "cancelled", closeReason: "desk", closeNote: "trader called in, paying by wire", closedBy: "desk@mc.test" });
    expect(pushed.map((p) => p.call.state)).toEqual(["cancelled"]);
    const audit = await db.prisma.auditLog.findMany({ where: { action: "margin_call.cancel", accountId: "mc-a" } });
    expect(audit.map((a) => [a.note, a.actor])).toEqual([["trader called in, paying by wire", expect.stringMatching(/^user:/)]]);
    await expectRefused(cancel("desk", "mc-a", open.id.toString(), { note: "again" }), 409);
    // Another account's id under this one: no such call here.
    const other = await db.prisma.marginCall.findFirstOrThrow({ where: { accountId: "mc-race" } });
    await expectRefused(cancel("desk", "mc-a", other.id.toString(), { note: "wrong account" }), 404);
  });

  it("a restart re-arms the expiry and re-checks what happened while no process watched: nothing lost, nothing doubled", async () => {
    const issueOk = async (accountId: string, amount: string, seconds: number) => {
      const res = await issue("desk", accountId, { amount, deadline: inSeconds(seconds), message: "restart" });
      expect(res.status).toBe(201);
      return (await res.json() as MarginCallView).id;
    };
    const expiring = await issueOk("mc-r1", "100", 4);
    const paid = await issueOk("mc-r2", "100", 3600);
    const healed = await issueOk("mc-r3", "90000", 3600);
    await runtime.stop();
    // While down: mc-r2 is paid, mc-r3 gets enough to be healthy (short of the call's amount), mc-r1's deadline passes.
    await persistCollateralEntries(db.prisma, [
      { accountId: "mc-r2", amount: "100", kind: "deposit", idempotencyKey: "mc-r2-down" },
      { accountId: "mc-r3", amount: "60000", kind: "deposit", idempotencyKey: "mc-r3-down" },
    ]);
    await new Promise((r) => setTimeout(r, 4200));
    pushed = [];
    await start();
    expect((await callRow(paid)).state).toBe("met");
    expect((await callRow(paid)).closeReason).toBe("credits");
    expect((await callRow(healed))).toMatchObject({ state: "met", closeReason: "healthy" });
    await waitForState(expiring, "expired", 5000);
    // Another restart: nothing moves again, no alert doubled.
    await runtime.stop();
    await start();
    await new Promise((r) => setTimeout(r, 300));
    for (const id of [expiring, paid, healed]) {
      expect(await db.prisma.auditLog.count({ where: { action: { in: ["margin_call.met", "margin_call.expired"] }, details: { path: ["callId"], equals: id } } })).toBe(1);
    }
    expect(await db.prisma.alert.count({ where: { subject: `margin_call:${expiring}` } })).toBe(1);
  });
});

describe("margin call transitions race (two instances, a retry, a restart)", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    await seedDatabase(db.prisma);
    await db.prisma.account.createMany({ data: ["race-1", "race-2", "race-3"].map((id) => ({ id, collateral: "0" })) });
    await db.prisma.user.create({ data: { id: "u-desk", email: "desk@race.test", name: "Desk", role: "desk" } });
  });
  afterAll(async () => {
    await db?.drop();
  });

  const newCall = (accountId: string, deadline: number) => insertMarginCall(db.prisma, {
    accountId, amount: "10", suggestedAmount: null, message: "race", deadline, alertId: null, statusAtIssue: "liquidatable", ratioAtIssue: 1.2,
    issuer: { userId: "u-desk", name: "Desk", email: "desk@race.test" },
  });
  const raise = (at: number) => async (tx: Prisma.TransactionClient, calls: readonly ExpiredCall[]) => {
    const { raised } = await applyAlertSignals(tx as unknown as PrismaClient, calls.map((c) => ({
      ruleId: "margin-call-expired", subject: `margin_call:${c.id}`, raise: true, at, accountId: c.accountId, message: "expired",
    })));
    return new Map(raised.map((r) => [r.subject.slice("margin_call:".length), r.id]));
  };

  it("two sweeps at once expire a call once, with one alert and one audit row", async () => {
    const call = await newCall("race-1", Date.now() + 50);
    await new Promise((r) => setTimeout(r, 100));
    const now = Date.now();
    const results = await Promise.all([expireDue(db.prisma, now, raise(now)), expireDue(db.prisma, now, raise(now)), expireDue(db.prisma, now, raise(now))]);
    expect(results.flatMap((r) => r.expired.map((e) => e.id))).toEqual([call.id]);
    expect(await db.prisma.alert.count({ where: { subject: `margin_call:${call.id}` } })).toBe(1);
    expect(await db.prisma.auditLog.count({ where: { action: "margin_call.expired" } })).toBe(1);
    // A sweep after a restart finds nothing to do.
    expect((await expireDue(db.prisma, Date.now(), raise(Date.now()))).expired).toEqual([]);
  });

  it("two credit checks and a health check at once meet a call once", async () => {
    const call = await newCall("race-2", Date.now() + 3_600_000);
    await persistCollateralEntries(db.prisma, [{ accountId: "race-2", amount: "10", kind: "deposit", idempotencyKey: "race-2-dep" }]);
    const results = await Promise.all([
      meetByCredits(db.prisma, ["race-2"]), meetByCredits(db.prisma, null), meetByHealth(db.prisma, [{ accountId: "race-2", marginRatio: 0.1 }]),
    ]);
    expect(results.flat().map((c) => c.id)).toEqual([call.id]);
    expect(await db.prisma.auditLog.count({ where: { action: "margin_call.met", accountId: "race-2" } })).toBe(1);
  });

  it("a cancel racing a sweep: one of them closes the call, the other finds it closed", async () => {
    const call = await newCall("race-3", Date.now() + 50);
    await new Promise((r) => setTimeout(r, 100));
    const now = Date.now();
    const [swept, cancelled] = await Promise.allSettled([
      expireDue(db.prisma, now, raise(now)),
      cancelMarginCall(db.prisma, { accountId: "race-3", callId: call.id, userId: "u-desk", note: "race" }),
    ]);
    const closes = (swept.status === "fulfilled" ? swept.value.expired.length : 0) + (cancelled.status === "fulfilled" ? 1 : 0);
    expect(closes).toBe(1);
    if (cancelled.status === "rejected") expect((cancelled.reason as Error).message).toMatch(/is expired, not open/);
    expect(await db.prisma.auditLog.count({ where: { accountId: "race-3", action: { in: ["margin_call.expired", "margin_call.cancel"] } } })).toBe(1);
  });
});
