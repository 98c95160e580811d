import { request as httpRequest } from "node:http";
import { connect as tcpConnect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runScript, startAppServer, stopAndRemove, type AppServer } from "../support/app-server";
import { createUser, signIn, type Session } from "../support/sign-in";

/**
 * The HTTP edges of the real server (server.ts + Next), where a probe found the desk's data under a
 * redirect, a Host check decided on the raw path, 500s on bad encodings and methods, tokens in
 * better-auth answers and client aborts logged as failures.
 */

interface Answer { status: number; body: string; headers: Record<string, string | string[] | undefined> }

/** A raw HTTP request: any method, path (sent as written) and Host. */
function raw(port: number, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port, method, path, headers }, (res) => {
      let text = "";
      res.on("data", (d: Buffer) => (text += d.toString()));
      res.on("end", () => resolve({ status: res.statusCode!, body: text, headers: res.headers }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** A request written byte for byte (two Host headers, CONNECT); the answer's text up to its end or 2 s. */
function rawBytes(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tcpConnect(port, "127.0.0.1", () => socket.write(text));
    let out = "";
    const timer = setTimeout(() => socket.destroy(), 2000);
    socket.on("data", (d: Buffer) => (out += d.toString("latin1")));
    socket.on("close", () => {
      clearTimeout(timer);
      resolve(out);
    });
    socket.on("error", reject);
  });
}

const DEMO_ACCOUNT = "acct-00001";
/**
 * What a page must not carry to a user who may not see the desk: the desk snapshot's fields (they
 * are there whatever the book holds), other accounts' ids. (`asked`: the id in the URL, which the
 * page's title may echo back to whoever typed it.)
 */
function expectNoDeskData(body: string, where: string, asked?: string) {
  for (const marker of ["riskParams", "histogram", "initialDesk", "accountId", "demo-trader-", "acct-0000"]) {
    expect(asked ? body.replaceAll(asked, "") : body, `${where}: ${marker}`).not.toContain(marker);
  }
}

describe("HTTP edges (real server)", () => {
  let server: AppServer;
  let trader: Session;
  let token: string;

  beforeAll(async () => {
    server = await startAppServer({ env: { LIQDESK_SIM_ACCOUNTS: "200", LIQDESK_EXECUTION: "off", LIQDESK_SIGNIN_RATE_LIMIT: "1000" } });
    token = runScript(server, "token", ["create", "edges"]).trim();
    trader = await signIn(server.url, "trader@edges.test", createUser(server, "trader@edges.test", "trader", []));
    // The book is there to leak: the desk sees the demo accounts.
    const desk = await signIn(server.url, "desk@liqdesk.local", "liqdesk-demo");
    expect(await (await desk.fetch(`/api/v1/accounts/${DEMO_ACCOUNT}`)).status).toBe(200);
  });
  afterAll(async () => {
    await stopAndRemove(server);
  });

  it("a desk page answers an anonymous user or a trader with a redirect that carries none of the desk's data", async () => {
    // Several times each: the page renders in parallel with the layout's check, and leaked when it won the race.
    for (let round = 0; round < 4; round++) {
      for (const path of ["/desk", "/desk/audit"]) {
        const asTrader = await trader.fetch(path, { redirect: "manual" });
        expect(asTrader.status, path).toBe(307);
        expect(asTrader.headers.get("location"), path).toBe("/account");
        expectNoDeskData(await asTrader.text(), `trader ${path}`);
      }
      for (const path of ["/desk", "/desk/audit", `/desk/accounts/${DEMO_ACCOUNT}`]) {
        const anonymous = await fetch(`${server.url}${path}`, { redirect: "manual" });
        expect(anonymous.status, path).toBe(307);
        expect(anonymous.headers.get("location"), path).toBe(`/sign-in?next=${encodeURIComponent(path)}`);
        expectNoDeskData(await anonymous.text(), `anonymous ${path}`, DEMO_ACCOUNT);
      }
    }
    const own = await fetch(`${server.url}/account`, { redirect: "manual" });
    expect(own.status).toBe(307);
    expect(own.headers.get("location")).toBe(`/sign-in?next=${encodeURIComponent("/account")}`);
  });

  it("a dot-segment, plain or encoded, is refused (400) before the Host check could be skipped on its raw prefix", async () => {
    const evil = { host: "evil.example" };
    for (const [method, path] of [
      ["GET", "/api/health/../auth/get-session"], ["GET", "/api/health/%2e%2e/auth/get-session"], ["GET", "/api/health/%2E%2E/auth/get-session"],
      ["GET", "/api/v1/ingest/../me"], ["GET", "/api/metrics/../auth/ok"], ["GET", "/api/health/./../auth/ok"],
      ["POST", "/api/v1/ingest/../../auth/sign-in/email"], ["GET", "/desk/./"], ["GET", "/api\\health"],
    ] as const) {
      const res = await raw(server.port, method, path, { ...evil, "content-type": "application/json" }, method === "POST" ? '{"email":"a@b.c","password":"xxxxxxxx"}' : undefined);
      expect(res.status, `${method} ${path}`).toBe(400);
      expect(JSON.parse(res.body).error.code, path).toBe("bad_path");
    }
    // Exempt by the routed path only: the health check answers any Host, better-auth never does.
    expect((await raw(server.port, "GET", "/api/health", evil)).status).toBe(200);
    for (const path of ["/api/auth/get-session", "/api/auth/ok", "/api/healthz", "//api/health/x", "/api/auth/list-sessions"]) {
      const res = await raw(server.port, "GET", path, evil);
      expect(res.status, path).toBe(421);
    }
  });

  it("a path that is not strict UTF-8 percent-encoding is 400 bad_path, a query's bad parameter is named, an unsupported method is 405", async () => {
    for (const path of ["/api/v1/accounts/%ZZ", "/api/v1/accounts/%ED%A0%80", "/api/v1/accounts/%C0%AF", "/api/v1/markets/%ZZ/liquidation-map",
      "/desk/accounts/%ZZ", "/api/v1/accounts/%E2%82", "/api/v1/accounts/a%00b"]) {
      const res = await raw(server.port, "GET", path, { host: `127.0.0.1:${server.port}` });
      expect(res.status, path).toBe(400);
      expect(res.headers["content-type"], path).toContain("application/json");
      expect(JSON.parse(res.body).error.code, path).toBe("bad_path");
    }
    for (const [query, field] of [["q=%FF", "q"], ["q=%ED%A0%80", "q"], ["limit=5&status=%C3", "status"], ["q=%zz", "q"]] as const) {
      const res = await trader.fetch(`/api/v1/accounts?${query}`);
      expect(res.status, query).toBe(400);
      const body = await res.json() as { error: { code: string; fields: { path: string }[] } };
      expect(body.error.fields.map((f) => f.path), query).toEqual([field]);
    }
    // TRACK is not HTTP to Node's parser: it answers 400 itself (never a 500).
    expect((await rawBytes(server.port, `TRACK /api/health HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\n\r\n`))).toMatch(/^HTTP\/1\.1 4\d\d /);
    for (const method of ["TRACE", "PROPFIND", "MKCOL"]) {
      const res = await raw(server.port, method, "/api/health", { host: `127.0.0.1:${server.port}` });
      expect(res.status, method).toBe(405);
      expect(JSON.parse(res.body).error.code).toBe("bad_method");
    }
    expect(await rawBytes(server.port, `CONNECT 127.0.0.1:${server.port} HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\n\r\n`)).toMatch(/^HTTP\/1\.1 405 /);
    // Two Host headers: Node keeps the first; refused outright.
    const twoHosts = await rawBytes(server.port, `GET /api/auth/get-session HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nHost: evil.example\r\nConnection: close\r\n\r\n`);
    expect(twoHosts).toMatch(/^HTTP\/1\.1 400 /);
    expect(twoHosts).toContain("bad_host");
  });

  it("no better-auth answer carries a session token, and a user cannot rewrite their own name (update-user is off)", async () => {
    const sessions = await trader.fetch("/api/auth/list-sessions");
    expect(sessions.status).toBe(200);
    const list = await sessions.json() as Record<string, unknown>[];
    expect(list.length).toBeGreaterThan(0);
    for (const s of list) expect(s).not.toHaveProperty("token");
    expect(JSON.stringify(list)).not.toContain(trader.cookie.split("=")[1]!.split(".")[0]);
    const update = await trader.post("/api/auth/update-user", { name: "x".repeat(10_000) });
    expect(update.status).toBe(404);
    const me = await (await trader.fetch("/api/auth/get-session")).json() as { user: { name: string }; session: Record<string, unknown> };
    expect(me.user.name.length).toBeLessThan(100);
    expect(me.session).not.toHaveProperty("token");
  });

  it("an account the venue has no data on: the desk's page is a 404 and a bound trader's page says so (never a 500)", async () => {
    const desk = await signIn(server.url, "desk@liqdesk.local", "liqdesk-demo");
    const deskPage = await desk.fetch("/desk/accounts/acct-no-data-here");
    expect(deskPage.status).toBe(404);
    const bound = await signIn(server.url, "nodata@edges.test", createUser(server, "nodata@edges.test", "trader", ["acct-no-data-here"]));
    const traderPage = await bound.fetch("/account");
    expect(traderPage.status).toBe(200);
    expect(await traderPage.text()).toContain("has no data on the venue yet");
  });

  it("small answers polled often (health, ingest) are never gzipped, pages are; Next's size threshold never applies", async () => {
    const gzip = { "accept-encoding": "gzip, deflate, br" };
    const health = await raw(server.port, "GET", "/api/health", gzip);
    expect(health.status).toBe(200);
    expect(health.headers["content-encoding"]).toBeUndefined();
    const ingest = await raw(server.port, "POST", "/api/v1/ingest/prices", { ...gzip, authorization: `Bearer ${token}`, "content-type": "application/json" },
      JSON.stringify({ source: "gzip-probe", ticks: [] }));
    expect(ingest.headers["content-encoding"]).toBeUndefined();
    const page = await raw(server.port, "GET", "/sign-in", gzip);
    expect(page.status).toBe(200);
    expect(page.headers["content-encoding"]).toBe("gzip");
  });

  it("a client that goes away mid-body is not logged as a failed request, and nothing here was a 500", async () => {
    await new Promise<void>((resolve) => {
      const socket = tcpConnect(server.port, "127.0.0.1", () => {
        socket.write(`POST /api/v1/ingest/prices HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nAuthorization: Bearer ${token}\r\n`
          + "Content-Type: application/json\r\nContent-Length: 5000\r\n\r\n{\"ticks\":[");
        setTimeout(() => socket.destroy(), 300);
      });
      socket.on("close", () => resolve());
      socket.on("error", () => resolve());
    });
    await new Promise((r) => setTimeout(r, 1000));
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
    expect(server.output()).not.toContain("request failed");
    expect(server.output()).not.toMatch(/Host not in allowed hosts|URIError|Failed to decode/);
  });
});
