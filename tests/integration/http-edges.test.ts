// Issue 15 (HTTP edges, found by a probe of the merged code): no better-auth answer carries a
// session token (list-sessions gave every session's), the better-auth endpoints the app has no use
// for are off (update-user took a 100,000-character name), and a client that goes away mid-body
// is not a 500 logged as "request failed". The real server's edges (paths, methods, Host, pages):
// tests/e2e/http-edges.test.ts.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { GET as authGet, POST as authPost } from "@/app/api/auth/[...all]/route";
import { CLIENT_IP_HEADER } from "@/lib/server/auth/auth";
import { createUser } from "@/lib/server/auth/users";
import { bookState, SITE, startRouteHarness, type RouteHarness } from "../support/route-harness";

describe("better-auth answers and aborted requests", () => {
  let h: RouteHarness;
  let cookie: string;
  const auth = (method: "GET" | "POST", path: string, body?: unknown) => {
    const headers: Record<string, string> = { host: "localhost:3000", cookie, [CLIENT_IP_HEADER]: "10.9.7.1" };
    if (method === "POST") Object.assign(headers, { origin: SITE, "content-type": "application/json" });
    const request = new Request(`${SITE}/api/auth${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    return method === "GET" ? authGet(request) : authPost(request);
  };

  beforeAll(async () => {
    h = await startRouteHarness();
    await createUser(h.db.prisma, { email: "edges@h.test", name: "Edges", role: "trader", accountIds: [], password: "edges-password" });
    cookie = "";
    for (let i = 0; i < 2; i++) { // two sessions: list-sessions lists both
      const res = await authPost(new Request(`${SITE}/api/auth/sign-in/email`, {
        method: "POST", headers: { "content-type": "application/json", origin: SITE, [CLIENT_IP_HEADER]: `10.9.7.${i + 2}` },
        body: JSON.stringify({ email: "edges@h.test", password: "edges-password" }),
      }));
      expect(res.status).toBe(200);
      cookie = res.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
    }
  });
  afterAll(() => h.stop());

  it("list-sessions answers each session without its token", async () => {
    const res = await auth("GET", "/list-sessions");
    expect(res.status).toBe(200);
    const sessions = await res.json() as Record<string, unknown>[];
    expect(sessions).toHaveLength(2);
    for (const s of sessions) {
      expect(s).toHaveProperty("id");
      expect(s).not.toHaveProperty("token");
    }
    const tokens = await h.db.prisma.session.findMany({ select: { token: true } });
    const text = JSON.stringify(sessions);
    for (const { token } of tokens) expect(text).not.toContain(token);
  });

  it("update-user, change-email and delete-user are off (404), and nothing changed", async () => {
    for (const [path, body] of [["/update-user", { name: "x".repeat(10_000) }], ["/change-email", { newEmail: "other@h.test" }], ["/delete-user", {}]] as const) {
      const res = await auth("POST", path, body);
      expect(res.status, path).toBe(404);
    }
    const user = await h.db.prisma.user.findUniqueOrThrow({ where: { email: "edges@h.test" } });
    expect(user.name).toBe("Edges");
  });

  it("a body that ends in the client's abort (Node's `Error: aborted`) is answered 400 aborted, not logged as a failure, nothing changed", async () => {
    const before = await bookState(h);
    const errors = vi.spyOn(console, "error");
    try {
      const aborted = Object.assign(new Error("aborted"), { code: "ECONNRESET" });
      let sent = false;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (!sent) {
            sent = true;
            controller.enqueue(new TextEncoder().encode("{\"ticks\":["));
          } else {
            controller.error(aborted);
          }
        },
      });
      const res = await h.call("POST /api/v1/ingest/prices", { body, headers: { "content-type": "application/json" } });
      expect(res.status).toBe(400);
      expect((await res.json() as { error: { code: string } }).error.code).toBe("aborted");
      expect(errors).not.toHaveBeenCalled();
    } finally {
      errors.mockRestore();
    }
    expect(await bookState(h)).toEqual(before);
  });
});
