import { describe, expect, it } from "vitest";
import { securityHeaders } from "@/lib/server/http/security-headers";
import { handshakeOriginRefusal } from "@/lib/server/feeds/handshake";
import { withoutSessionToken } from "@/lib/server/auth/auth";

describe("security headers", () => {
  it("a nonce CSP that forbids framing, nosniff, a referrer policy that keeps Origin; HSTS only for an https public URL", () => {
    const local = securityHeaders({ LIQDESK_PUBLIC_URL: undefined, PORT: 3000 }, { dev: false })("abc");
    expect(local["content-security-policy"]).toContain("script-src 'self' 'nonce-abc' 'strict-dynamic';");
    expect(local["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(local["content-security-policy"]).toContain("connect-src 'self' ws://localhost:3000 ws://127.0.0.1:3000");
    expect(local["content-security-policy"]).not.toContain("unsafe-eval");
    expect(local).toMatchObject({ "x-frame-options": "DENY", "x-content-type-options": "nosniff", "referrer-policy": "strict-origin-when-cross-origin" });
    expect(local["strict-transport-security"]).toBeUndefined();
    expect(securityHeaders({ LIQDESK_PUBLIC_URL: "http://risk.example", PORT: 3000 }, { dev: false })("n")["strict-transport-security"]).toBeUndefined();

    const https = securityHeaders({ LIQDESK_PUBLIC_URL: "https://risk.example", PORT: 3000 }, { dev: false })("n");
    expect(https["strict-transport-security"]).toBe("max-age=31536000");
    expect(https["content-security-policy"]).toContain("connect-src 'self' wss://risk.example;");
    expect(https["content-security-policy"]).toContain("upgrade-insecure-requests");
    expect(securityHeaders({ LIQDESK_PUBLIC_URL: undefined, PORT: 3000 }, { dev: true })("n")["content-security-policy"]).toContain("'unsafe-eval'");
  });
});

describe("socket handshake Origin", () => {
  const site = ["http://127.0.0.1:3000", "http://localhost:3000"];
  it("this site's origin or none (not a browser) passes; another scheme, host or port, 'null' or cross-site does not", () => {
    expect(handshakeOriginRefusal({ origin: "http://127.0.0.1:3000" }, site)).toBeNull();
    expect(handshakeOriginRefusal({}, site)).toBeNull();
    for (const origin of ["https://127.0.0.1:3000", "http://127.0.0.1:3001", "http://evil.example", "null", "127.0.0.1:3000"]) {
      expect(handshakeOriginRefusal({ origin }, site), origin).toMatch(/is not this site/);
    }
    expect(handshakeOriginRefusal({ origin: "http://127.0.0.1:3000", "sec-fetch-site": "cross-site" }, site)).toMatch(/cross-site/);
  });
});

describe("session token", () => {
  it("is dropped from the sign-in answer and get-session's session, nothing else", () => {
    expect(withoutSessionToken("/sign-in/email", { redirect: false, token: "t", url: null, user: { id: "u" } })).toEqual({ redirect: false, url: null, user: { id: "u" } });
    expect(withoutSessionToken("/get-session", { session: { id: "s", token: "t" }, user: { id: "u" } })).toEqual({ session: { id: "s" }, user: { id: "u" } });
    expect(withoutSessionToken("/get-session", null)).toBeNull();
    expect(withoutSessionToken("/sign-out", { success: true })).toBeNull();
  });
});
