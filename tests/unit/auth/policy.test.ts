import { describe, expect, it } from "vitest";
import { access, canUseAccount, decide, defaultRooms, type Principal } from "@/lib/server/auth/policy";
import { crossSiteReason, isStateChanging } from "@/lib/server/auth/same-origin";

const anonymous: Principal = { kind: "anonymous" };
const desk: Principal = { kind: "user", userId: "d", email: "d@x", name: "D", role: "desk", accountIds: [] };
const trader: Principal = { kind: "user", userId: "t", email: "t@x", name: "T", role: "trader", accountIds: ["a1", "a2"] };
const ingest: Principal = { kind: "ingest", tokenName: "venue" };
const scrape: Principal = { kind: "scrape" };
const status = (p: Principal, rule: (typeof access)[keyof typeof access], accountId?: string) => {
  const d = decide(p, rule, accountId);
  return d.ok ? "ok" : d.status;
};

describe("the policy", () => {
  it("a session never opens the ingest API or metrics, and a token never opens a session endpoint", () => {
    expect(status(desk, access.ingest)).toBe(401);
    expect(status(desk, access.scrape)).toBe(401);
    expect(status(ingest, access.signedIn)).toBe(401);
    expect(status(scrape, access.desk)).toBe(401);
    expect(status(ingest, access.scrape)).toBe(401);
    expect(status(ingest, access.ingest)).toBe("ok");
    expect(status(scrape, access.scrape)).toBe("ok");
  });

  it("a trader uses only their own accounts; naming none is refused; the desk uses any", () => {
    expect(status(trader, access.deskOrOwner, "a2")).toBe("ok");
    expect(status(trader, access.deskOrOwner, "zz")).toBe(403);
    expect(status(trader, access.deskOrOwner)).toBe(403);
    expect(status(desk, access.deskOrOwner, "zz")).toBe("ok");
    expect(status(desk, access.deskOrOwner)).toBe("ok");
    expect(status(anonymous, access.deskOrOwner, "a1")).toBe(401);
    expect(canUseAccount(trader, "a1")).toBe(true);
    expect(canUseAccount(trader, "zz")).toBe(false);
    expect(canUseAccount(ingest, "a1")).toBe(false);
  });

  it("roles: the desk's endpoints refuse traders, the trader's page refuses the desk, open is open", () => {
    expect(status(trader, access.desk)).toBe(403);
    expect(status(desk, access.trader)).toBe(403);
    expect(status(anonymous, access.open)).toBe("ok");
    expect(status(anonymous, access.signedIn)).toBe(401);
  });

  it("rooms are the server's: the desk gets desk and markets, a trader markets and their accounts, nobody else any", () => {
    expect(defaultRooms(desk)).toEqual(["desk", "markets"]);
    expect(defaultRooms(trader)).toEqual(["markets", "account:a1", "account:a2"]);
    expect(defaultRooms(anonymous)).toEqual([]);
    expect(defaultRooms(ingest)).toEqual([]);
  });
});

describe("same-site check of state-changing session requests", () => {
  const h = (init: Record<string, string>) => new Headers({ host: "desk.example:3000", ...init });
  it("accepts this site's Origin (or Referer when no Origin), refuses others and requests with neither", () => {
    expect(crossSiteReason(h({ origin: "http://desk.example:3000" }), [])).toBeNull();
    expect(crossSiteReason(h({ referer: "http://desk.example:3000/account" }), [])).toBeNull();
    expect(crossSiteReason(h({ origin: "http://localhost:3000" }), ["localhost:3000"])).toBeNull();
    expect(crossSiteReason(h({ origin: "https://evil.example" }), [])).toMatch(/not this site/);
    expect(crossSiteReason(h({ origin: "null" }), [])).toMatch(/no Origin or Referer/);
    expect(crossSiteReason(h({}), [])).toMatch(/no Origin or Referer/);
    expect(crossSiteReason(h({ origin: "http://desk.example:3000", "sec-fetch-site": "cross-site" }), [])).toMatch(/cross-site/);
    expect(isStateChanging("POST")).toBe(true);
    expect(isStateChanging("GET")).toBe(false);
  });
});
