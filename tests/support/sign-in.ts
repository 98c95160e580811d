import type { Browser, BrowserContext, Page } from "playwright-core";
import { runScript, type AppServer } from "./app-server";

/** The demo users a server seeds on its first start (LIQDESK_DEMO_USERS=on, the default). */
export const DEMO_DESK = { email: "desk@liqdesk.local", password: "liqdesk-demo" };

/** A signed-in HTTP client: sends the session cookie, and this site's Origin on state-changing requests (CSRF check). */
export interface Session {
  cookie: string;
  /** The cookie as the browser gets it. */
  cookies: { name: string; value: string }[];
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** POSTs JSON with the cookie and the site's Origin. */
  post(path: string, body: unknown): Promise<Response>;
}

/**
 * Signs in through better-auth's endpoint (`POST /api/auth/sign-in/email`), as the sign-in page does.
 * `origin`: the site's address as a browser would send it (the public URL when the server has one).
 */
export async function signIn(baseUrl: string, email: string, password: string, origin = baseUrl): Promise<Session> {
  const request = () => fetch(`${baseUrl}/api/auth/sign-in/email`, {
    method: "POST", headers: { "content-type": "application/json", origin }, body: JSON.stringify({ email, password }),
  });
  // A keep-alive connection left idle past the server's keep-alive timeout (e.g. while a CLI ran)
  // may be closed just as it is reused: that request never reached the server; send it again.
  const res = await request().catch((error: unknown) => {
    if ((error as { cause?: { code?: string } }).cause?.code === "UND_ERR_SOCKET") return request();
    throw error;
  });
  if (res.status !== 200) throw new Error(`sign-in as ${email} answered ${res.status}: ${await res.text()}`);
  const cookies = res.headers.getSetCookie().map((c) => {
    const [pair] = c.split(";");
    const at = pair!.indexOf("=");
    return { name: pair!.slice(0, at), value: pair!.slice(at + 1) };
  });
  const cookie = cookies.map((c) => `${c.name}=${c.value}`).join("; ");
  const session: Session = {
    cookie,
    cookies,
    fetch: (path, init = {}) => {
      const headers = new Headers(init.headers);
      headers.set("cookie", cookie);
      if (init.method && init.method !== "GET" && !headers.has("origin")) headers.set("origin", origin);
      return fetch(`${baseUrl}${path}`, { ...init, headers });
    },
    post: (path, body) => session.fetch(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
  };
  return session;
}

const deskSessions = new WeakMap<AppServer, Promise<Session>>();

/** Signs in as the seeded demo desk user (once per server: sign-in is rate-limited per address). */
export function signInDesk(server: AppServer): Promise<Session> {
  let session = deskSessions.get(server);
  if (!session) {
    session = signIn(server.url, DEMO_DESK.email, DEMO_DESK.password);
    session.catch(() => deskSessions.delete(server));
    deskSessions.set(server, session);
  }
  return session;
}

/** Creates a user with `npm run user -- create` (against the server's database) and returns the password. */
export function createUser(server: AppServer, email: string, role: "desk" | "trader", accounts: string[] = [], password = "test-password-1"): string {
  runScript(server, "user", ["create", email, "--role", role, "--password", password, ...(accounts.length ? ["--accounts", accounts.join(",")] : [])]);
  return password;
}

/** Puts a session's cookie into a browser context, so its pages are signed in. */
export async function signInBrowser(context: BrowserContext, server: AppServer, session: Session): Promise<void> {
  await context.addCookies(session.cookies.map((c) => ({ name: c.name, value: c.value, url: server.url })));
}

/** A page in a fresh browser context signed in as the demo desk user. */
export async function newDeskPage(browser: Browser, server: AppServer, options: { viewport: { width: number; height: number } }): Promise<Page> {
  const context = await browser.newContext(options);
  await signInBrowser(context, server, await signInDesk(server));
  return context.newPage();
}
