import { describe, expect, it } from "vitest";
import { access, canUseAccount, decide, socketRooms, type Principal } from "@/lib/server/auth/policy";
import { accountOfRoom, accountRoom, ALERTS_ROOM, DESK_ROOM, MARKETS_ROOM } from "@/lib/contracts/socket-events";
import { crossSiteReason, isStateChanging } from "@/lib/server/auth/same-origin";
import { allowedOrigins, hostRefusal } from "@/lib/server/auth/site-origin";

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

  it("rooms are the server's: the desk gets desk, markets and alerts, a trader markets and their accounts, nobody else any", () => {
    expect(socketRooms(desk).given).toEqual(["desk", "markets", "alerts"]);
    expect(socketRooms(trader).given).toEqual(["markets", "account:a1", "account:a2"]);
    expect(socketRooms(anonymous).given).toEqual([]);
    expect(socketRooms(ingest).given).toEqual([]);
  });

  it("a room may be joined as the HTTP API allows: the desk any account's room, a trader only their own's, nobody the desk room but the desk", () => {
    const may = (p: Principal, room: string) => socketRooms(p).mayJoin(room);
    expect(may(desk, accountRoom("zz"))).toBe(true);
    expect(may(desk, DESK_ROOM)).toBe(true);
    expect(may(trader, accountRoom("a2"))).toBe(true);
    expect(may(trader, accountRoom("zz"))).toBe(false);
    expect(may(trader, MARKETS_ROOM)).toBe(true);
    expect(may(trader, DESK_ROOM)).toBe(false);
    expect(may(trader, ALERTS_ROOM)).toBe(false);
    expect(may(desk, ALERTS_ROOM)).toBe(true);
    expect(may(anonymous, MARKETS_ROOM)).toBe(false);
    expect(may(ingest, accountRoom("a1"))).toBe(false);
    // A socket's own room, or any name the contract does not give, is nobody's to join.
    expect(may(desk, "Xy3_socket-id")).toBe(false);
    // An account id that itself starts like a room name is still only that account.
    expect(may(trader, accountRoom("account:a1"))).toBe(false);
    expect(accountOfRoom(accountRoom("account:a1"))).toBe("account:a1");
    expect(accountOfRoom(MARKETS_ROOM)).toBeNull();
  });
});

describe("same-site check of state-changing session requests", () => {
  const site = ["http://desk.example:3000"];
  const h = (init: Record<string, string>) => new Headers({ host: "desk.example:3000", ...init });
  it("accepts this site's Origin (or Referer when no Origin), refuses others and requests with neither", () => {
    expect(crossSiteReason(h({ origin: "http://desk.example:3000" }), site)).toBeNull();
    expect(crossSiteReason(h({ referer: "http://desk.example:3000/account" }), site)).toBeNull();
    expect(crossSiteReason(h({ origin: "http://localhost:3000" }), ["http://localhost:3000"])).toBeNull();
    expect(crossSiteReason(h({ origin: "https://evil.example" }), site)).toMatch(/not this site/);
    expect(crossSiteReason(h({ origin: "null" }), site)).toMatch(/no Origin or Referer/);
    expect(crossSiteReason(h({}), site)).toMatch(/no Origin or Referer/);
    expect(crossSiteReason(h({ origin: "http://desk.example:3000", "sec-fetch-site": "cross-site" }), site)).toMatch(/cross-site/);
    expect(isStateChanging("POST")).toBe(true);
    expect(isStateChanging("GET")).toBe(false);
  });

  it("compares scheme, host and port, never the host alone, and never trusts the request's own Host", () => {
    expect(crossSiteReason(h({ origin: "https://desk.example:3000" }), site)).toMatch(/not this site/);
    expect(crossSiteReason(h({ origin: "http://desk.example:3001" }), site)).toMatch(/not this site/);
    expect(crossSiteReason(h({ origin: "http://desk.example" }), site)).toMatch(/not this site/);
    expect(crossSiteReason(h({ referer: "https://desk.example:3000/account" }), site)).toMatch(/not this site/);
    // The Host a request names is the attacker's to choose (DNS rebinding): only the configured origins count.
    expect(crossSiteReason(new Headers({ host: "evil.example", origin: "http://evil.example" }), site)).toMatch(/not this site/);
    expect(crossSiteReason(h({ origin: "https://risk.example" }), allowedOrigins({ LIQDESK_PUBLIC_URL: "https://risk.example/", PORT: 3000 }))).toBeNull();
    expect(crossSiteReason(h({ origin: "https://risk.example:443" }), ["https://risk.example"])).toBeNull();
    expect(crossSiteReason(h({ origin: "http://risk.example" }), allowedOrigins({ LIQDESK_PUBLIC_URL: "https://risk.example", PORT: 3000 }))).toMatch(/not this site/);
  });
});

describe("Host check", () => {
  const local = { LIQDESK_PUBLIC_URL: undefined, PORT: 3000 };
  const pub = { LIQDESK_PUBLIC_URL: "https://risk.example", PORT: 3000 };
  it("answers this site's hosts, 421 another host while no public URL is set, 400 what is not a host", () => {
    expect(hostRefusal("localhost:3000", local)).toBeNull();
    expect(hostRefusal("127.0.0.1:3000", local)).toBeNull();
    expect(hostRefusal("LOCALHOST:3000", local)).toBeNull();
    expect(hostRefusal("evil.example", local)).toMatchObject({ status: 421, code: "unknown_host" });
    expect(hostRefusal("127.0.0.1:3001", local)).toMatchObject({ status: 421 });
    expect(hostRefusal("evil.example", pub)).toBeNull();
    for (const bad of [undefined, "", "a b", "evil.example/x", "user@evil.example", "evil.example?x", "evil.example:99999",
      "evil.example:port", "[::1", "ev\u0000il", "evil.example#x", "b\u00fccher.de", "evil.example\\x"]) {
      expect(hostRefusal(bad, pub), String(bad)).toMatchObject({ status: 400, code: "bad_host" });
    }
    expect(hostRefusal("[::1]:3000", pub)).toBeNull();
    expect(hostRefusal("risk.example:80", pub)).toBeNull();
  });
});
