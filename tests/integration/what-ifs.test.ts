import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as authPost } from "@/app/api/auth/[...all]/route";
import { POST as postEvaluate } from "@/app/api/v1/risk/evaluate/route";
import { POST as postStress } from "@/app/api/v1/stress/route";
import type { ApiErrorBody } from "@/lib/contracts/api-error";
import { parseRiskScenario } from "@/lib/contracts/risk-scenario";
import { evaluateScenario } from "@/lib/risk";
import { CLIENT_IP_HEADER, createAuth } from "@/lib/server/auth/auth";
import { setAuth } from "@/lib/server/auth/auth-registry";
import { createUser } from "@/lib/server/auth/users";
import { createLogger } from "@/lib/server/logger";
import type { Runtime } from "@/lib/server/runtime";
import { setRuntime } from "@/lib/server/runtime-registry";
import { largeWhatIf } from "../../bench/lib/whatif-scenario";
import { createTestDatabase, type TestDatabase } from "../support/test-database";
import { setMark, startTestRuntime } from "../support/test-runtime";
import { compareOutput } from "../unit/risk/helpers/compare-output";
import { exampleNames, examplesDir } from "../unit/risk/helpers/paths";

const SITE = "http://localhost:3000";
const PASSWORD = "integration-pw";
const RATE = 8;
const read = (file: string) => readFileSync(path.join(examplesDir, file), "utf8");

/**
 * `POST /api/v1/risk/evaluate` and `POST /api/v1/stress` through their route handlers, on a live
 * runtime with one what-if thread, no wait queue, one what-if per user at once and RATE a minute
 * (issue 15, item 18). "Large" what-ifs (tens of thousands of accounts) keep the thread busy while
 * the next request arrives.
 */
describe("what-ifs off the main thread, with limits", () => {
  let db: TestDatabase;
  let runtime: Runtime;
  const cookies = new Map<string, string>();

  function post(handler: typeof postEvaluate, who: string, body: string | Uint8Array<ArrayBuffer>): Promise<Response> {
    const url = handler === postEvaluate ? "/api/v1/risk/evaluate" : "/api/v1/stress";
    return handler(new Request(`${SITE}${url}`, {
      method: "POST", headers: { "content-type": "application/json", cookie: cookies.get(who) ?? "", host: "localhost:3000", origin: SITE }, body,
    }));
  }
  const evaluate = (who: string, body: string | Uint8Array<ArrayBuffer>) => post(postEvaluate, who, body);
  const error = async (res: Response) => ((await res.json()) as ApiErrorBody).error;

  beforeAll(async () => {
    db = await createTestDatabase();
    runtime = await startTestRuntime(db, {
      LIQDESK_WHATIF_WORKERS: "1", LIQDESK_WHATIF_QUEUE: "0", LIQDESK_WHATIF_PER_USER: "1", LIQDESK_WHATIF_RATE_LIMIT: String(RATE),
    });
    setRuntime(runtime);
    setAuth(createAuth({ prisma: db.prisma, env: runtime.env, secret: "integration-secret-integration-secret", log: createLogger("silent") }));
    await setMark(runtime, "BTC-PERP", 62000);
    const users = ["ex", "a", "b", "c", "r", "s"];
    for (const [i, who] of users.entries()) {
      await createUser(db.prisma, { email: `${who}@t.test`, name: who, role: "trader", accountIds: [], password: PASSWORD });
      const res = await authPost(new Request(`${SITE}/api/auth/sign-in/email`, {
        method: "POST", headers: { "content-type": "application/json", origin: SITE, [CLIENT_IP_HEADER]: `10.0.2.${i}` },
        body: JSON.stringify({ email: `${who}@t.test`, password: PASSWORD }),
      }));
      expect(res.status).toBe(200);
      cookies.set(who, res.headers.getSetCookie().map((c) => c.split(";")[0]).join("; "));
    }
    await createUser(db.prisma, { email: "desk@t.test", name: "Desk", role: "desk", accountIds: [], password: PASSWORD });
    const res = await authPost(new Request(`${SITE}/api/auth/sign-in/email`, {
      method: "POST", headers: { "content-type": "application/json", origin: SITE, [CLIENT_IP_HEADER]: "10.0.3.1" },
      body: JSON.stringify({ email: "desk@t.test", password: PASSWORD }),
    }));
    cookies.set("desk", res.headers.getSetCookie().map((c) => c.split(";")[0]).join("; "));
  });
  afterAll(async () => {
    setAuth(undefined);
    setRuntime(undefined);
    await runtime?.stop();
    await db?.drop();
  });

  it("answers the spec's worked examples exactly as lib/risk does in-process, and names bad fields (400)", async () => {
    const names = exampleNames();
    expect(names.length).toBeGreaterThanOrEqual(3);
    for (const name of names) {
      const scenario = read(`${name}.scenario.json`);
      const res = await evaluate("ex", scenario);
      expect(res.status, name).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^application\/json/);
      const body: unknown = await res.json();
      expect(body).toEqual(JSON.parse(JSON.stringify(evaluateScenario(parseRiskScenario(JSON.parse(scenario))))));
      expect(compareOutput(body, JSON.parse(read(`${name}.expected.json`)))).toEqual([]);
    }
    const bad = JSON.parse(read(`${names[0]}.scenario.json`)) as { accounts: { positions: { qty: number }[] }[] };
    const leg = bad.accounts.findIndex((a) => a.positions.length > 0);
    bad.accounts[leg]!.positions[0]!.qty = 1e-7;
    const invalid = await evaluate("ex", JSON.stringify(bad));
    expect(invalid.status).toBe(400);
    expect(await error(invalid)).toMatchObject({ code: "invalid_input", fields: [expect.objectContaining({ path: `accounts[${leg}].positions[0].qty` })] });
    const malformed = await evaluate("ex", "{");
    expect(malformed.status).toBe(400);
    expect(await error(malformed)).toMatchObject({ code: "invalid_input", fields: [{ path: "(body)", message: "body is not valid JSON" }] });
    // Decoded in the what-if thread, strictly: invalid UTF-8 is refused, never replaced.
    const bytes = new TextEncoder().encode(read(`${names[0]}.scenario.json`).replace("{", `{"x@@":1,`));
    const at = bytes.indexOf(64);
    bytes[at] = 0xff;
    bytes[at + 1] = 0xfe;
    const notUtf8 = await evaluate("ex", bytes);
    expect(notUtf8.status).toBe(400);
    expect(await error(notUtf8)).toMatchObject({ code: "invalid_input", fields: [{ path: "(body)", message: "body is not valid UTF-8" }] });
  });

  it("a large answer is streamed whole: every byte arrives, and they are the model's answer", async () => {
    const scenario = largeWhatIf(4_000);
    const res = await evaluate("s", scenario);
    expect(res.status).toBe(200);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(bytes.byteLength).toBeGreaterThan(1024 * 1024); // several of streamBytes' 256 KiB chunks
    expect(JSON.parse(new TextDecoder().decode(bytes))).toEqual(JSON.parse(JSON.stringify(evaluateScenario(parseRiskScenario(JSON.parse(scenario))))));
  });

  it("a second what-if of the same user while the first runs: 429 rate_limited with Retry-After; the first is answered", async () => {
    const big = largeWhatIf(40_000);
    const [first, second] = await Promise.all([evaluate("a", big), evaluate("a", big)]);
    const statuses = [first.status, second.status].sort();
    expect(statuses).toEqual([200, 429]);
    const refused = first.status === 429 ? first : second;
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await error(refused)).toMatchObject({ code: "rate_limited", message: expect.stringMatching(/at most 1 per user/) });
  });

  it("two users' what-ifs when the one thread is busy and there is no queue: one 503 busy with Retry-After, never a backlog", async () => {
    const big = largeWhatIf(40_000);
    const [b, c] = await Promise.all([evaluate("b", big), evaluate("c", big)]);
    expect([b.status, c.status].sort()).toEqual([200, 503]);
    const refused = b.status === 503 ? b : c;
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await error(refused)).toMatchObject({ code: "busy", message: expect.stringMatching(/queue is full/) });
    expect(runtime.whatIfs.pool.threads).toBe(1);
  });

  it(`more than ${RATE} what-ifs and stress runs of one user in a minute: 429 rate_limited with Retry-After; other users are not limited`, async () => {
    const small = read(`${exampleNames()[0]}.scenario.json`);
    await roomInWindow();
    const statuses: number[] = [];
    for (let i = 0; i < RATE + 2; i++) statuses.push((await evaluate("r", small)).status);
    expect(statuses).toEqual([...Array<number>(RATE).fill(200), 429, 429]);
    const limited = await evaluate("r", small);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await error(limited)).toMatchObject({ code: "rate_limited", message: expect.stringMatching(new RegExp(`at most ${RATE} per 60 s`)) });
    expect((await evaluate("s", small)).status).toBe(200);

    const stress = JSON.stringify({ shocks: { "BTC-PERP": -0.1 } });
    await roomInWindow();
    const desk: number[] = [];
    for (let i = 0; i < RATE + 1; i++) desk.push((await post(postStress, "desk", stress)).status);
    expect(desk).toEqual([...Array<number>(RATE).fill(200), 429]);
  }, 180_000);
});

/** A what-if too big for a thread's memory kills that thread only; the next what-if is answered by a new one. */
describe("a what-if thread that fails", () => {
  let db: TestDatabase;
  let runtime: Runtime;
  let cookie = "";

  beforeAll(async () => {
    db = await createTestDatabase();
    runtime = await startTestRuntime(db, { LIQDESK_WHATIF_MEMORY_MB: "32" });
    setRuntime(runtime);
    setAuth(createAuth({ prisma: db.prisma, env: runtime.env, secret: "integration-secret-integration-secret", log: createLogger("silent") }));
    await createUser(db.prisma, { email: "m@t.test", name: "M", role: "trader", accountIds: [], password: PASSWORD });
    const res = await authPost(new Request(`${SITE}/api/auth/sign-in/email`, {
      method: "POST", headers: { "content-type": "application/json", origin: SITE, [CLIENT_IP_HEADER]: "10.0.4.1" },
      body: JSON.stringify({ email: "m@t.test", password: PASSWORD }),
    }));
    cookie = res.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  });
  afterAll(async () => {
    setAuth(undefined);
    setRuntime(undefined);
    await runtime?.stop();
    await db?.drop();
  });

  it("answers 413 whatif_too_large (JSON, not 500), and the pool answers the next what-if", async () => {
    const send = (body: string) => postEvaluate(new Request(`${SITE}/api/v1/risk/evaluate`, {
      method: "POST", headers: { "content-type": "application/json", cookie, host: "localhost:3000", origin: SITE }, body,
    }));
    const res = await send(largeWhatIf(90_000));
    expect(res.status).toBe(413);
    expect(((await res.json()) as ApiErrorBody).error).toMatchObject({ code: "whatif_too_large", message: expect.stringMatching(/more memory than one may use \(32 MB\)/) });
    const scenario = read(`${exampleNames()[0]}.scenario.json`);
    const next = await send(scenario);
    expect(next.status).toBe(200);
    expect(await next.json()).toEqual(JSON.parse(JSON.stringify(evaluateScenario(parseRiskScenario(JSON.parse(scenario))))));
  });
});

/**
 * The limit counts in fixed windows of a minute: a sequence that crosses into the next window starts
 * counting again. Waits for a fresh window unless at least 30 s of this one remain.
 */
async function roomInWindow(): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < 30_000) await new Promise((resolve) => setTimeout(resolve, left + 50));
}
