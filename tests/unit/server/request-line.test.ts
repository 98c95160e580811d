import { describe, expect, it } from "vitest";
import { isUnder, pathRefusal, requestLineRefusal, routedPath } from "@/lib/server/http/request-line";

const HOST = ["Host", "localhost:3000"];

describe("request line", () => {
  it("answers the app's methods only (405, Allow), and one Host header", () => {
    expect(requestLineRefusal("GET", "/desk", HOST)).toBeNull();
    for (const m of ["TRACE", "TRACK", "CONNECT", "PROPFIND", undefined]) {
      const r = requestLineRefusal(m, "/api/health", HOST);
      expect(r?.status, String(m)).toBe(405);
      expect(r?.headers?.allow).toContain("GET");
    }
    expect(requestLineRefusal("GET", "/", [...HOST, "host", "evil.example"])).toMatchObject({ status: 400, code: "bad_host" });
  });

  it("refuses a path that is not strict UTF-8 percent-encoding, a NUL, a backslash, a dot-segment (plain or encoded)", () => {
    for (const path of ["/api/v1/accounts/%ZZ", "/api/v1/accounts/%ED%A0%80", "/api/v1/accounts/%C0%AF", "/a/%E2%82", "/a/%", "/a%00b",
      "/api\\health", "/api/health/../auth/ok", "/api/health/%2e%2e/auth", "/api/health/%2E./auth", "/./desk", "/desk/.", "/a/%2e", "a", "*",
      "http://evil/api/health"]) {
      expect(pathRefusal(path)?.code, path).toBe("bad_path");
    }
    for (const path of ["/", "/desk", "/api/v1/accounts/acct-1", "/api/v1/accounts/%E2%82%AC", "/a/..b", "/a/.hidden", "/a/b.", "/api/health?x=1"]) {
      expect(pathRefusal(path), path).toBeNull();
    }
  });

  it("names each query parameter that is not strict UTF-8 percent-encoding", () => {
    expect(pathRefusal("/api/v1/accounts?q=%FF")).toMatchObject({ status: 400, code: "invalid_input", fields: [{ path: "q" }] });
    expect(pathRefusal("/x?limit=5&status=%ED%A0%80&q=ok")?.fields?.map((f) => f.path)).toEqual(["status"]);
    expect(pathRefusal("/x?%FF=1")?.fields?.map((f) => f.path)).toEqual(["%FF"]);
    expect(pathRefusal("/x?q=a+b&r=%E2%82%AC&flag&&")).toBeNull();
  });

  it("decides a path's exemption on the routed path, exactly", () => {
    expect(routedPath("/api/health?x")).toBe("/api/health");
    expect(isUnder("/api/health", "/api/health")).toBe(true);
    expect(isUnder("/api/health/x", "/api/health")).toBe(true);
    expect(isUnder("/api/healthz", "/api/health")).toBe(false);
    expect(isUnder("/api/v1/ingest/prices", "/api/v1/ingest/")).toBe(true);
    expect(isUnder(routedPath("//api/health"), "/api/health")).toBe(false);
    expect(isUnder(routedPath("/api/health/../auth/ok"), "/api/health")).toBe(false);
  });
});
