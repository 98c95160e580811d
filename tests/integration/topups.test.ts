import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as authPost } from "@/app/api/auth/[...all]/route";
import { POST as postTopUp } from "@/app/api/v1/accounts/[id]/topups/route";
import { POST as postPreview } from "@/app/api/v1/accounts/[id]/topups/preview/route";
import type { TopUpPreview, TopUpResult } from "@/lib/contracts/topup";
import { CLIENT_IP_HEADER, createAuth } from "@/lib/server/auth/auth";
import { setAuth } from "@/lib/server/auth/auth-registry";
import { createUser } from "@/lib/server/auth/users";
import { createLogger } from "@/lib/server/logger";
import type { Runtime } from "@/lib/server/runtime";
import { setServices } from "@/lib/server/services/services-registry";
import { createTestDatabase, type TestDatabase } from "../support/test-database";
import { engineOf, engineSettled, setMark, startTestRuntime, testConfig } from "../support/test-runtime";

const SITE = "http://localhost:3000";
const PASSWORD = "integration-pw";

describe("manual top-ups", () => {
  let db: TestDatabase;
  let runtime: Runtime;
  const cookies = new Map<string, string>();

  async function signIn(email: string, password = PASSWORD, ip = "10.0.0.1"): Promise<Response> {
    return authPost(new Request(`${SITE}/api/auth/sign-in/email`, {
      method: "POST", headers: { "content-type": "application/json", origin: SITE, [CLIENT_IP_HEADER]: ip }, body: JSON.stringify({ email, password }),
    }));
  }

  function post(handler: typeof postTopUp, who: string, accountId: string, body: unknown, headers: Record<string, string> = { origin: SITE }) {
    const path = handler === postTopUp ? "topups" : "topups/preview";
    return handler(new Request(`${SITE}/api/v1/accounts/${accountId}/${path}`, {
      method: "POST", headers: { "content-type": "application/json", cookie: cookies.get(who) ?? "", host: "localhost:3000", ...headers },
      body: typeof body === "string" ? body : JSON.stringify(body),
    }), { params: Promise.resolve({ id: accountId }) });
  }

  /** What a top-up may write: ledger entries, audit rows and balances. */
  async function written(accountId: string) {
    const [ledger, audit, account] = await Promise.all([
      db.prisma.collateralLedgerEntry.count({ where: { accountId, kind: "topup" } }),
      db.prisma.auditLog.count({ where: { accountId, action: "topup.create" } }),
      db.prisma.account.findUniqueOrThrow({ where: { id: accountId } }),
    ]);
    return { ledger, audit, collateral: account.collateral.toFixed() };
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    const env = { LIQDESK_TOPUP_MAX: "100000", LIQDESK_TOPUP_RATE_LIMIT: "25", LIQDESK_SIGNIN_RATE_LIMIT: "5" };
    runtime = await startTestRuntime(db, env);
    setServices(runtime.services);
    setAuth(createAuth({ prisma: db.prisma, env: testConfig(env), secret: "integration-secret-integration-secret", log: createLogger("silent") }));
    await setMark(runtime, "BTC-PERP", 62000);
    // The spec's "large-long": 12 BTC from 61,200 with 20,000 collateral, liquidation price 60,025.25.
    await runtime.services.ingest.collateral({ entries: ["t-a", "t-b", "t-r"].map((a) => ({ accountId: a, amount: "20000", kind: "deposit", idempotencyKey: `${a}-dep` })) });
    await runtime.services.ingest.positions({ source: "venue", updates: ["t-a", "t-b", "t-r"].map((a) => ({ accountId: a, marketId: "BTC-PERP", qty: 12, entryPrice: 61200, seq: 1 })) });
    await setMark(runtime, "BTC-PERP", 60000);
    await engineSettled(runtime);
    await createUser(db.prisma, { email: "a@t.test", name: "A", role: "trader", accountIds: ["t-a"], password: PASSWORD });
    await createUser(db.prisma, { email: "b@t.test", name: "B", role: "trader", accountIds: ["t-b"], password: PASSWORD });
    await createUser(db.prisma, { email: "r@t.test", name: "R", role: "trader", accountIds: ["t-r"], password: PASSWORD });
    await createUser(db.prisma, { email: "desk@t.test", name: "Desk", role: "desk", accountIds: [], password: PASSWORD });
    for (const [who, email] of [["a", "a@t.test"], ["b", "b@t.test"], ["r", "r@t.test"], ["desk", "desk@t.test"]] as const) {
      const res = await signIn(email, PASSWORD, `10.0.1.${cookies.size}`);
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

  it("the preview shows before → after and presets; the 'leave the queue' preset is the least whole cent that does", async () => {
    const res = await post(postPreview, "a", "t-a", { amount: "10" });
    expect(res.status).toBe(200);
    const p = await res.json() as TopUpPreview;
    expect(p.before.inQueue).toBe(true);
    expect(p.after.collateral).toBeCloseTo(p.before.collateral + 10, 9);
    const leave = Number(p.presets.leaveQueue);
    expect(leave).toBeGreaterThan(0);
    const at = await (await post(postPreview, "a", "t-a", { amount: p.presets.leaveQueue })).json() as TopUpPreview;
    const below = await (await post(postPreview, "a", "t-a", { amount: (leave - 0.01).toFixed(2) })).json() as TopUpPreview;
    expect(at.after.inQueue).toBe(false);
    expect(below.after.inQueue).toBe(true);
    expect(at.after.positions[0]!.liquidationPrice!).toBeLessThan(p.before.positions[0]!.liquidationPrice!);
    expect(await written("t-a")).toEqual({ ledger: 0, audit: 0, collateral: "20000" });
  });

  it("bad amounts are refused naming the field, with nothing written", async () => {
    for (const amount of [0, -5, "abc", "1.1234567", "100000.01", null, "1e3"]) {
      const res = await post(postTopUp, "a", "t-a", { amount, idempotencyKey: `bad-${String(amount)}` });
      expect(res.status, String(amount)).toBe(400);
      const { error } = await res.json() as { error: { fields: { path: string; message: string }[] } };
      expect(error.fields.map((f) => f.path), String(amount)).toEqual(["amount"]);
    }
    expect((await (await post(postTopUp, "a", "t-a", { amount: "1.1234567", idempotencyKey: "x" })).json()).error.message).toMatch(/more than 6 decimals/);
    expect((await (await post(postTopUp, "a", "t-a", { amount: "100000.01", idempotencyKey: "x" })).json()).error.message).toMatch(/above the largest top-up, 100000/);
    expect((await post(postTopUp, "a", "t-a", "{not json")).status).toBe(400);
    expect(await written("t-a")).toEqual({ ledger: 0, audit: 0, collateral: "20000" });
  });

  it("a cross-site request is refused (403) with nothing written", async () => {
    const body = { amount: "100", idempotencyKey: "xs-1" };
    const attempts: Record<string, string>[] = [{ origin: "https://evil.example" }, {}, { origin: SITE, "sec-fetch-site": "cross-site" }, { referer: "https://evil.example/page" }];
    for (const headers of attempts) {
      const res = await post(postTopUp, "a", "t-a", body, headers);
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect((await res.json()).error.code).toBe("cross_site");
    }
    expect((await post(postPreview, "a", "t-a", {}, { origin: "https://evil.example" })).status).toBe(403);
    expect(await written("t-a")).toEqual({ ledger: 0, audit: 0, collateral: "20000" });
  });

  it("another trader's account: 403, nothing written", async () => {
    const res = await post(postTopUp, "b", "t-a", { amount: "100", idempotencyKey: "b-on-a" });
    expect(res.status).toBe(403);
    expect(await written("t-a")).toEqual({ ledger: 0, audit: 0, collateral: "20000" });
  });

  it("the owner's top-up writes balance, ledger and audit together and takes the account out of the queue at once", async () => {
    expect((await engineOf(runtime).client.accountView("t-a", Date.now()))!.queue).not.toBeNull();
    const res = await post(postTopUp, "a", "t-a", { amount: "5000", idempotencyKey: "a-1", note: "margin call" });
    expect(res.status).toBe(201);
    const result = await res.json() as TopUpResult;
    expect(result.replayed).toBe(false);
    expect(result.entry).toMatchObject({ accountId: "t-a", amount: "5000", balanceAfter: "25000", note: "margin call" });
    expect(result.view.queue).toBeNull();
    expect(result.view.collateral).toBe(25000);
    expect(await written("t-a")).toEqual({ ledger: 1, audit: 1, collateral: "25000" });
    const audit = await db.prisma.auditLog.findFirstOrThrow({ where: { action: "topup.create", accountId: "t-a" }, include: { user: true } });
    expect(audit.user?.email).toBe("a@t.test");
    expect(audit.note).toBe("margin call");
    expect((await engineOf(runtime).client.queue(Date.now(), 0, 100)).items.map((q) => q.accountId)).not.toContain("t-a");
  });

  it("a double submit applies once; the same key with another body is a 409 and writes nothing", async () => {
    const body = { amount: "250.5", idempotencyKey: "a-double" };
    const [r1, r2] = await Promise.all([post(postTopUp, "a", "t-a", body), post(postTopUp, "a", "t-a", body)]);
    expect([r1.status, r2.status].sort()).toEqual([200, 201]);
    const [j1, j2] = await Promise.all([r1.json(), r2.json()]) as TopUpResult[];
    expect(j1!.entry.id).toBe(j2!.entry.id);
    expect(await written("t-a")).toEqual({ ledger: 2, audit: 2, collateral: "25250.5" });
    const again = await post(postTopUp, "a", "t-a", body);
    expect(again.status).toBe(200);
    expect((await again.json() as TopUpResult).replayed).toBe(true);
    const conflict = await post(postTopUp, "a", "t-a", { ...body, amount: "251" });
    expect(conflict.status).toBe(409);
    expect((await conflict.json()).error.code).toBe("conflict");
    expect(await written("t-a")).toEqual({ ledger: 2, audit: 2, collateral: "25250.5" });
  });

  it("the desk tops up any account but must write a note", async () => {
    const missing = await post(postTopUp, "desk", "t-b", { amount: "10", idempotencyKey: "d-1" });
    expect(missing.status).toBe(400);
    expect((await missing.json()).error.fields).toEqual([expect.objectContaining({ path: "note" })]);
    expect(await written("t-b")).toEqual({ ledger: 0, audit: 0, collateral: "20000" });
    const ok = await post(postTopUp, "desk", "t-b", { amount: "10", idempotencyKey: "d-1", note: "goodwill" });
    expect(ok.status).toBe(201);
    expect(await written("t-b")).toEqual({ ledger: 1, audit: 1, collateral: "20010" });
  });

  it("top-ups are rate-limited per user (429 with Retry-After) in PostgreSQL", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 27; i++) statuses.push((await post(postTopUp, "r", "t-r", { amount: "1", idempotencyKey: `r-${i}` })).status);
    expect(statuses.slice(0, 25).every((s) => s === 201)).toBe(true);
    expect(statuses.slice(25)).toEqual([429, 429]);
    const limited = await post(postTopUp, "r", "t-r", { amount: "1", idempotencyKey: "r-late" });
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await written("t-r")).ledger).toBe(25);
    // Another user is not limited by R's count.
    expect((await post(postTopUp, "b", "t-b", { amount: "1", idempotencyKey: "b-1" })).status).toBe(201);
  });

  it("sign-in is rate-limited per client address, in PostgreSQL", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await signIn("a@t.test", "wrong-password", "10.9.9.9")).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    expect((await signIn("a@t.test", PASSWORD, "10.9.9.9")).status).toBe(429);
    expect((await signIn("a@t.test", PASSWORD, "10.9.9.10")).status).toBe(200);
    expect(await db.prisma.rateLimit.count()).toBeGreaterThan(0);
  });
});
