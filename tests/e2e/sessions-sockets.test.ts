import { request as httpRequest } from "node:http";
import { connect as tcpConnect } from "node:net";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { io, type Socket } from "socket.io-client";
import type { Browser, ConsoleMessage } from "playwright-core";
import { IngestClient } from "../support/ingest-client";
import { runScript, startAppServer, stopAndRemove, type AppServer } from "../support/app-server";
import { createUser, DEMO_DESK, signIn, signInBrowser, type Session } from "../support/sign-in";
import { launchBrowser } from "../support/browser";

/**
 * Sessions, sockets and browsers (issue 15, items 10–16) against a real server: the Host header,
 * the CSRF and socket Origin checks (scheme, host and port), client event payloads, sockets that
 * end with their session, the security headers and CSP in a real Chromium, no session token in
 * any answer body.
 */
const ACC_A = "ss-acc-a";
const ACC_B = "ss-acc-b";

/** A raw HTTP request (fetch will not send a Host of our choosing). */
function rawGet(port: number, path: string, host: string): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port, path, headers: { host } }, (res) => {
      let body = "";
      res.on("data", (d: Buffer) => (body += d.toString()));
      res.on("end", () => resolve({ status: res.statusCode!, body, headers: res.headers }));
    });
    req.on("error", reject);
    req.end();
  });
}

/** A request written byte for byte: a Host no HTTP client would send. */
function rawBytes(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tcpConnect(port, "127.0.0.1", () => socket.write(text));
    let out = "";
    socket.on("data", (d: Buffer) => {
      out += d.toString("latin1");
      if (out.includes("\r\n\r\n")) socket.end();
    });
    socket.on("close", () => resolve(out));
    socket.on("error", reject);
  });
}

type ConnectResult = { ok: true; socket: Socket } | { ok: false; message: string; data?: { status?: number; code?: string } };

function openSocket(url: string, headers: Record<string, string>): Promise<ConnectResult> {
  const socket = io(url, { transports: ["websocket"], reconnection: false, forceNew: true, extraHeaders: headers });
  return new Promise((resolve) => {
    socket.once("connect", () => resolve({ ok: true, socket }));
    socket.once("connect_error", (err: Error & { data?: { status?: number; code?: string } }) => {
      socket.close();
      resolve({ ok: false, message: err.message, data: err.data });
    });
  });
}

async function connected(url: string, headers: Record<string, string>): Promise<Socket> {
  const result = await openSocket(url, headers);
  if (!result.ok) throw new Error(`socket refused: ${result.message} ${JSON.stringify(result.data)}`);
  return result.socket;
}

const rooms = (socket: Socket) => socket.timeout(2000).emitWithAck("session:rooms") as Promise<string[]>;

/** Resolves with the time the socket was disconnected by the server, or rejects after `ms`. */
function serverDisconnect(socket: Socket, ms: number): Promise<{ at: number; ended: string | null }> {
  let ended: string | null = null;
  socket.on("session:ended", (notice: { reason: string }) => (ended = notice.reason));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not disconnected within ${ms} ms`)), ms);
    socket.once("disconnect", (reason) => {
      clearTimeout(timer);
      if (reason === "io server disconnect") resolve({ at: Date.now(), ended });
      else reject(new Error(`disconnected by ${reason}`));
    });
  });
}

describe("sessions, sockets, browsers", () => {
  let server: AppServer;
  let db: pg.Client;
  let ingest: IngestClient;
  let origin: string;
  const traderPassword = "ss-trader-password";

  beforeAll(async () => {
    server = await startAppServer({ env: { LIQDESK_SIMULATOR: "off", LIQDESK_EXECUTION: "off", LIQDESK_STALE_AFTER_MS: "600000", LIQDESK_SIGNIN_RATE_LIMIT: "1000" } });
    origin = server.url;
    ingest = new IngestClient(server.url, runScript(server, "token", ["create", "sessions"]).trim());
    await ingest.mark("BTC-PERP", 60000);
    await ingest.post("collateral", { entries: [ACC_A, ACC_B].map((a) => ({ accountId: a, amount: "5000", kind: "deposit", idempotencyKey: `${a}-dep` })) });
    await ingest.post("positions", { source: "ss-venue", updates: [ACC_A, ACC_B].map((a) => ({ accountId: a, marketId: "BTC-PERP", qty: 0.5, entryPrice: 60000, seq: 1 })) });
    createUser(server, "trader@ss.test", "trader", [ACC_A], traderPassword);
    db = new pg.Client({ connectionString: server.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await stopAndRemove(server);
  });

  describe("Host (item 10)", () => {
    it("a Host that is not this site's is 421 with a clear error on pages, API and sign-in, never 500; health and ingest answer any Host", async () => {
      for (const path of ["/desk", "/sign-in", "/", "/api/v1/me", "/api/auth/get-session", "/_next/static/x.js"]) {
        const res = await rawGet(server.port, path, "evil.example");
        expect(res.status, `${path}: ${res.body}`).toBe(421);
        expect(JSON.parse(res.body)).toMatchObject({ error: { code: "unknown_host", message: expect.stringContaining("LIQDESK_PUBLIC_URL") } });
      }
      expect((await rawGet(server.port, "/sign-in", `127.0.0.1:${server.port}`)).status).toBe(200);
      expect((await rawGet(server.port, "/sign-in", `localhost:${server.port}`)).status).toBe(200);
      expect((await rawGet(server.port, "/api/health", "evil.example")).status).toBe(200);
    });

    it("a malformed Host is 400 bad_host", async () => {
      for (const host of ["evil.example/path", "user@evil.example", "evil example", "evil.example:99999", "[::1"]) {
        const res = await rawGet(server.port, "/desk", host).catch(async () => ({ status: 0, body: "" }));
        // A Host Node's own parser refuses is 400 as well (status 0: Node's HTTP client refused to send it; tried raw below).
        if (res.status !== 0) expect(res.status, `${host}: ${res.body}`).toBe(400);
      }
      const raw = await rawBytes(server.port, "GET /desk HTTP/1.1\r\nHost: evil example\r\nConnection: close\r\n\r\n");
      expect(raw).toMatch(/^HTTP\/1\.1 400/);
      expect(raw).toContain("bad_host");
    });

    it("a socket handshake with another Host is refused with 421, not an error", async () => {
      const session = await signIn(server.url, DEMO_DESK.email, DEMO_DESK.password);
      const result = await openSocket(server.url, { cookie: session.cookie, host: "evil.example" });
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.data).toMatchObject({ status: 421, code: "unknown_host" });
    });
  });

  describe("Origin: scheme, host and port (items 12, 14)", () => {
    let desk: Session;
    beforeAll(async () => {
      desk = await signIn(server.url, DEMO_DESK.email, DEMO_DESK.password);
    });

    it("a state-changing request from https:// or another port of this host is refused 403 cross_site", async () => {
      const preview = (o: string) => desk.fetch(`/api/v1/accounts/${ACC_A}/topups/preview`, {
        method: "POST", headers: { "content-type": "application/json", origin: o }, body: JSON.stringify({ amount: "10" }),
      });
      for (const bad of [`https://127.0.0.1:${server.port}`, `http://127.0.0.1:${server.port + 1}`, "http://127.0.0.1", "null"]) {
        const res = await preview(bad);
        expect(res.status, bad).toBe(403);
        expect((await res.json()) as unknown).toMatchObject({ error: { code: "cross_site" } });
      }
      expect((await preview(origin)).status).toBe(200);
      expect((await preview(`http://localhost:${server.port}`)).status).toBe(200);
    });

    it("better-auth's sign-in refuses an https:// Origin on this http site", async () => {
      await expect(signIn(server.url, DEMO_DESK.email, DEMO_DESK.password, `https://127.0.0.1:${server.port}`)).rejects.toThrow(/answered 403/);
    });

    it("a socket handshake from another Origin is refused 403 cross_site; this site's Origin, or none (not a browser), connects", async () => {
      for (const bad of ["http://evil.example", `https://127.0.0.1:${server.port}`, `http://127.0.0.1:${server.port + 1}`, "null"]) {
        const result = await openSocket(server.url, { cookie: desk.cookie, origin: bad });
        expect(result.ok, bad).toBe(false);
        if (!result.ok) {
          expect(result.data, bad).toEqual({ status: 403, code: "cross_site" });
          expect(result.message).toMatch(/must be opened by a page of this site/);
        }
      }
      const cross = await openSocket(server.url, { cookie: desk.cookie, origin, "sec-fetch-site": "cross-site" });
      expect(cross.ok).toBe(false);
      for (const good of [{ origin }, {}] as Record<string, string>[]) {
        const socket = await connected(server.url, { cookie: desk.cookie, ...good });
        expect(await rooms(socket)).toContain("desk");
        socket.disconnect();
      }
    });
  });

  describe("client event payloads (item 13)", () => {
    it("every bad payload gets a 400 acknowledgement naming the argument, never an exception; the socket keeps working", async () => {
      const desk = await signIn(server.url, DEMO_DESK.email, DEMO_DESK.password);
      const socket = await connected(server.url, { cookie: desk.cookie, origin });
      const ack = (event: string, ...args: unknown[]) => socket.timeout(2000).emitWithAck(event, ...args) as Promise<Record<string, unknown>>;
      const bad: [string, unknown[]][] = [
        ["account:watch", [{ toString: 1 }]],
        ["account:watch", [{ toString: 1, valueOf: 1 }]],
        ["account:watch", [42]],
        ["account:watch", [null]],
        ["account:watch", [[ACC_A]]],
        ["account:watch", [""]],
        ["account:watch", ["x".repeat(129)]],
        ["account:watch", ["a\u0000b"]],
        ["account:watch", []],
        ["account:watch", [ACC_A, "extra"]],
        ["account:unwatch", [{ toString: 1 }]],
        ["session:rooms", [{ toString: 1 }]],
        ["markets:resync", [{ toString: 1 }]],
        ["desk:resync", [1]],
      ];
      for (const [event, args] of bad) {
        const answer = await ack(event, ...args);
        expect(answer, `${event} ${JSON.stringify(args)}`).toMatchObject({ ok: false, status: 400, code: "invalid_payload" });
        expect((answer.fields as { path: string }[])[0]!.path).toMatch(/^\[\d\]|^\(arguments\)$/);
      }
      expect(await ack("no:such-event", 1)).toMatchObject({ ok: false, status: 400, code: "unknown_event" });
      // No acknowledgement callback, or something else where it would be: nothing happens, nothing throws.
      socket.emit("account:watch", { toString: 1 });
      socket.emit("account:watch", { toString: 1 }, "not a function");
      socket.emit("account:unwatch", { toString: 1 });
      socket.emit("session:rooms");
      socket.emit("session:rooms", 5);
      socket.emit("account:watch", ACC_A);
      expect(await ack("account:watch", ACC_A)).toEqual({ ok: true });
      expect(await rooms(socket)).toContain(`account:${ACC_A}`);
      expect(socket.connected).toBe(true);
      socket.disconnect();
      // A trader's socket (no desk stream) has its payloads checked too.
      const trader = await signIn(server.url, "trader@ss.test", traderPassword);
      const traderSocket = await connected(server.url, { cookie: trader.cookie, origin });
      expect(await traderSocket.timeout(2000).emitWithAck("desk:resync", { toString: 1 })).toMatchObject({ ok: false, status: 400, code: "invalid_payload" });
      expect(await traderSocket.timeout(2000).emitWithAck("account:watch", { toString: 1 })).toMatchObject({ ok: false, status: 400 });
      traderSocket.disconnect();
      expect(server.output()).not.toMatch(/TypeError|uncaught|unhandled|handler failed/i);
    });
  });

  describe("sockets end with their session (item 11)", () => {
    it("signing out over HTTP disconnects the socket at once, and no account data reaches it afterwards", async () => {
      const trader = await signIn(server.url, "trader@ss.test", traderPassword);
      const socket = await connected(server.url, { cookie: trader.cookie, origin });
      expect(await rooms(socket)).toContain(`account:${ACC_A}`);
      const views: number[] = [];
      socket.on("account:view", () => views.push(Date.now()));
      await expect.poll(() => views.length, { timeout: 5000 }).toBeGreaterThan(0);
      const gone = serverDisconnect(socket, 1000);
      const signedOutAt = Date.now();
      const res = await trader.post("/api/auth/sign-out", {});
      expect(res.status).toBe(200);
      const { at, ended } = await gone;
      expect(at - signedOutAt).toBeLessThan(1000);
      expect(ended).toBe("signed_out");
      await new Promise((r) => setTimeout(r, 1500));
      expect(views.filter((t) => t > at)).toEqual([]);
      // The cookie is dead: a new socket with it is refused.
      const again = await openSocket(server.url, { cookie: trader.cookie, origin });
      expect(again.ok).toBe(false);
    });

    it("a session revoked in the database (another instance's sign-out, `DELETE`) or expired ends its socket within a second", async () => {
      for (const change of [
        (id: string) => db.query("DELETE FROM sessions WHERE id = $1", [id]),
        (id: string) => db.query("UPDATE sessions SET expires_at = now() - interval '1 second' WHERE id = $1", [id]),
      ]) {
        const trader = await signIn(server.url, "trader@ss.test", traderPassword);
        const socket = await connected(server.url, { cookie: trader.cookie, origin });
        const { rows } = await db.query<{ id: string }>(
          "SELECT s.id FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = 'trader@ss.test' ORDER BY s.created_at DESC LIMIT 1");
        const gone = serverDisconnect(socket, 1500);
        const changedAt = Date.now();
        await change(rows[0]!.id);
        const { at, ended } = await gone;
        expect(at - changedAt).toBeLessThan(1000);
        expect(["signed_out", "expired"]).toContain(ended);
      }
    });

    it("a trader's accounts changing re-rooms their socket within a second: a new account's room joined, a removed one's left", async () => {
      const trader = await signIn(server.url, "trader@ss.test", traderPassword);
      const socket = await connected(server.url, { cookie: trader.cookie, origin });
      const views = new Map<string, number>();
      socket.on("account:view", (u: { accountId: string }) => views.set(u.accountId, Date.now()));
      expect(await rooms(socket)).toEqual(expect.arrayContaining([`account:${ACC_A}`]));
      expect(await rooms(socket)).not.toContain(`account:${ACC_B}`);
      const { rows } = await db.query<{ id: string }>("SELECT id FROM users WHERE email = 'trader@ss.test'");
      const userId = rows[0]!.id;
      let changedAt = Date.now();
      const addedAt = changedAt;
      await db.query("INSERT INTO user_accounts (user_id, account_id) VALUES ($1, $2)", [userId, ACC_B]);
      await expect.poll(() => rooms(socket), { timeout: 1000, interval: 100 }).toContain(`account:${ACC_B}`);
      expect(Date.now() - changedAt).toBeLessThan(1100);
      changedAt = Date.now();
      await db.query("DELETE FROM user_accounts WHERE user_id = $1 AND account_id = $2", [userId, ACC_A]);
      await expect.poll(() => rooms(socket), { timeout: 1000, interval: 100 }).not.toContain(`account:${ACC_A}`);
      const leftAt = Date.now();
      expect(leftAt - changedAt).toBeLessThan(1100);
      // It may not ask for it back either.
      expect(await socket.timeout(2000).emitWithAck("account:watch", ACC_A)).toMatchObject({ ok: false, status: 403 });
      await new Promise((r) => setTimeout(r, 1500));
      expect(views.get(ACC_A) ?? 0).toBeLessThan(leftAt);
      // The new account's view came when its room was joined (a view is pushed on joining and on change, not on a 1 s timer).
      expect(views.get(ACC_B)).toBeGreaterThan(addedAt);
      expect(socket.connected).toBe(true);
      socket.disconnect();
      await db.query("INSERT INTO user_accounts (user_id, account_id) VALUES ($1, $2)", [userId, ACC_A]);
      await db.query("DELETE FROM user_accounts WHERE user_id = $1 AND account_id = $2", [userId, ACC_B]);
    });

    it("a desk user demoted to trader loses the desk room within a second: disconnected, and a new socket gets a trader's rooms", async () => {
      createUser(server, "desk2@ss.test", "desk", [], "ss-desk2-password");
      const desk = await signIn(server.url, "desk2@ss.test", "ss-desk2-password");
      const socket = await connected(server.url, { cookie: desk.cookie, origin });
      expect(await rooms(socket)).toContain("desk");
      expect(await socket.timeout(2000).emitWithAck("account:watch", ACC_B)).toEqual({ ok: true });
      let deskData = 0;
      const gone = serverDisconnect(socket, 1500);
      const changedAt = Date.now();
      await db.query("UPDATE users SET role = 'trader' WHERE email = 'desk2@ss.test'");
      const { at, ended } = await gone;
      expect(at - changedAt).toBeLessThan(1000);
      expect(ended).toBe("role_changed");
      const again = await connected(server.url, { cookie: desk.cookie, origin });
      again.on("desk:snapshot", () => deskData++);
      expect(await rooms(again)).toEqual(["markets"]);
      expect(await again.timeout(2000).emitWithAck("account:watch", ACC_B)).toMatchObject({ ok: false, status: 403 });
      again.emit("desk:resync");
      await new Promise((r) => setTimeout(r, 500));
      expect(deskData).toBe(0);
      again.disconnect();
    });
  });

  describe("answers (items 15, 16)", () => {
    const expectSecurityHeaders = (headers: Headers, what: string) => {
      const csp = headers.get("content-security-policy") ?? "";
      expect(csp, what).toMatch(/frame-ancestors 'none'/);
      expect(csp, what).toMatch(/default-src 'self'|default-src 'none'/);
      expect(headers.get("x-frame-options"), what).toBe("DENY");
      expect(headers.get("x-content-type-options"), what).toBe("nosniff");
      expect(headers.get("referrer-policy"), what).toBe("strict-origin-when-cross-origin");
      expect(headers.get("strict-transport-security"), `${what}: no HSTS on plain http`).toBeNull();
    };

    it("every page, API answer, error, static file and socket.io answer carries the security headers", async () => {
      const desk = await signIn(server.url, DEMO_DESK.email, DEMO_DESK.password);
      for (const path of ["/sign-in", "/desk", "/desk/accounts/ss-acc-a", "/account", "/api/health", "/api/v1/me", "/api/v1/markets", "/no-such-page", "/socket.io/?EIO=4&transport=polling"]) {
        for (const cookie of [desk.cookie, ""]) {
          const res = await fetch(`${server.url}${path}`, { headers: cookie ? { cookie } : {}, redirect: "manual" });
          expectSecurityHeaders(res.headers, `${path} (${res.status})`);
          await res.arrayBuffer();
        }
      }
      const page = await desk.fetch("/desk");
      const html = await page.text();
      const nonce = /'nonce-([^']+)'/.exec(page.headers.get("content-security-policy")!)?.[1];
      expect(nonce).toBeTruthy();
      // Next puts this response's nonce on its scripts; a script without it would not run.
      expect(html).toContain(`nonce="${nonce}"`);
      const script = /<script[^>]*src="(\/_next\/static\/[^"]+\.js)"/.exec(html)?.[1];
      expect(script).toBeTruthy();
      expectSecurityHeaders((await fetch(`${server.url}${script}`)).headers, script!);
      const second = (await desk.fetch("/desk")).headers.get("content-security-policy");
      expect(second).not.toContain(nonce);
      const bad = await fetch(`${server.url}/api/v1/ingest/prices`, { method: "POST", body: "{}" });
      expectSecurityHeaders(bad.headers, "ingest 401");
      // A CSP a client sends never decides the nonce.
      const forged = await fetch(`${server.url}/sign-in`, { headers: { "content-security-policy": "script-src 'nonce-forged'" } });
      expect(await forged.text()).not.toContain('nonce="forged"');
    });

    it("the sign-in answer and get-session carry no session token (the cookie does, HttpOnly)", async () => {
      const res = await fetch(`${server.url}/api/auth/sign-in/email`, {
        method: "POST", headers: { "content-type": "application/json", origin }, body: JSON.stringify(DEMO_DESK),
      });
      expect(res.status).toBe(200);
      const cookie = res.headers.getSetCookie().find((c) => c.startsWith("liqdesk.session_token="))!;
      expect(cookie).toMatch(/HttpOnly/i);
      const token = decodeURIComponent(cookie.split(";")[0]!.split("=")[1]!).split(".")[0]!;
      const body = await res.text();
      expect(JSON.parse(body)).toMatchObject({ user: { email: DEMO_DESK.email } });
      expect(JSON.parse(body)).not.toHaveProperty("token");
      expect(body).not.toContain(token);
      const session = await fetch(`${server.url}/api/auth/get-session`, { headers: { cookie: cookie.split(";")[0]! } });
      const sessionBody = await session.text();
      expect(JSON.parse(sessionBody)).toMatchObject({ user: { email: DEMO_DESK.email }, session: { id: expect.any(String) } });
      expect(sessionBody).not.toContain(token);
    });
  });

  describe("in Chromium (items 15, 16)", () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await launchBrowser();
    });
    afterAll(async () => {
      await browser?.close();
    });

    it("signing in through the form works; the desk and account pages hydrate, go live and report no CSP violation; no page can frame them", async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      const problems: string[] = [];
      // Every console error counts but the browser's own note of a failed request; failed requests are listed by URL instead.
      const isProblem = (m: ConsoleMessage) => (m.type() === "error" && !m.text().startsWith("Failed to load resource"))
        || /Content Security Policy|Refused to/i.test(m.text());
      page.on("console", (m) => {
        if (isProblem(m)) problems.push(`console ${m.type()}: ${m.text()}`);
      });
      page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
      // A failed page, script, style or image; an API's 4xx is the app's answer (a market never priced has no liquidation map).
      page.on("response", (r) => {
        const api = ["fetch", "xhr"].includes(r.request().resourceType());
        if ((r.status() >= 500 || (r.status() >= 400 && !api)) && !r.url().endsWith("/favicon.ico")) problems.push(`${r.status()} ${r.url()}`);
      });
      await page.addInitScript(() => {
        document.addEventListener("securitypolicyviolation", (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
      });
      const signInPage = await page.goto(`${server.url}/sign-in`);
      // The pages below are checked under the nonce CSP, not without one.
      expect(signInPage?.headers()["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
      await page.getByTestId("sign-in-email").fill(DEMO_DESK.email);
      await page.getByTestId("sign-in-password").fill(DEMO_DESK.password);
      await page.getByTestId("sign-in-submit").click();
      await page.waitForURL(/\/desk$/, { timeout: 30_000 });
      await expect.poll(() => page.getByTestId("connection-status").getAttribute("data-status"), { timeout: 30_000 }).toBe("live");
      const accountPage = await page.goto(`${server.url}/desk/accounts/${ACC_A}`);
      expect(accountPage?.headers()["content-security-policy"]).toMatch(/'nonce-/);
      await expect.poll(() => page.getByTestId("connection-status").getAttribute("data-status"), { timeout: 30_000 }).toBe("live");
      expect(problems).toEqual([]);

      const trader = await browser.newContext();
      await signInBrowser(trader, server, await signIn(server.url, "trader@ss.test", traderPassword));
      const traderPage = await trader.newPage();
      await traderPage.addInitScript(() => {
        document.addEventListener("securitypolicyviolation", (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
      });
      traderPage.on("console", (m) => {
        if (isProblem(m)) problems.push(`trader console ${m.type()}: ${m.text()}`);
      });
      await traderPage.goto(`${server.url}/account`);
      await expect.poll(() => traderPage.getByTestId("connection-status").getAttribute("data-status"), { timeout: 30_000 }).toBe("live");
      expect(problems).toEqual([]);

      // Another site framing the top-up page: the browser refuses to show it.
      const framer = await browser.newPage();
      const refused: string[] = [];
      framer.on("console", (m) => refused.push(m.text()));
      await framer.setContent(`<iframe id="f" src="${server.url}/account"></iframe>`);
      await expect.poll(() => refused.some((t) => /frame-ancestors|Refused to display|X-Frame-Options/i.test(t)), { timeout: 10_000 }).toBe(true);
      const frame = framer.frames().find((f) => f.url().includes("/account"));
      expect(await frame?.locator("[data-testid=connection-status]").count().catch(() => 0) ?? 0).toBe(0);
      await context.close();
      await trader.close();
      await framer.close();
    });

    it("signing out in one tab sends the other tab's page to the sign-in page (its socket ended)", async () => {
      const context = await browser.newContext();
      await signInBrowser(context, server, await signIn(server.url, DEMO_DESK.email, DEMO_DESK.password));
      const page = await context.newPage();
      await page.goto(`${server.url}/desk`);
      await expect.poll(() => page.getByTestId("connection-status").getAttribute("data-status"), { timeout: 30_000 }).toBe("live");
      const other = await context.newPage();
      await other.goto(`${server.url}/sign-in`);
      await other.evaluate(() => fetch("/api/auth/sign-out", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" }));
      await page.waitForURL(/\/sign-in/, { timeout: 5000 });
      await context.close();
    });
  });
});
