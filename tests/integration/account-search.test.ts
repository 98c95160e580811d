// Issue 17 item 6: any account in a keystroke. `GET /api/v1/search?q=` finds accounts by a part of
// the id (case-insensitive) or of an owner's e-mail (`%` and `_` literal), whatever the table's
// filters, best match first; the account list sorts every numeric column over the whole book and
// names each account's owners; bad parameters are a 400 naming them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AccountSearchResult } from "@/lib/contracts/account-search";
import type { AccountListRow } from "@/lib/contracts/desk";
import { AT_RISK_SORT_COLUMNS, type Page } from "@/lib/contracts/book-views";
import { createUser } from "@/lib/server/auth/users";
import { expectRefused, startRouteHarness, type RouteHarness } from "../support/route-harness";
import { engineSettled } from "../support/test-runtime";

/** Accounts of the book beside the harness's "h-trader": [id, collateral, positions [market, qty, entry]]. */
const BOOK: [string, number, [string, number, number][]][] = [
  ["Alpha-ONE", 5000, [["BTC-PERP", 1, 60000]]],
  ["alpha-two", 2500, [["BTC-PERP", 0.5, 61000], ["ETH-PERP", -4, 2900]]],
  ["xALPHA", 40000, [["ETH-PERP", 10, 3100]]],
  ["beta%_1", 100000, []],
  ["beta-x1", 800, [["ETH-PERP", 2, 3000], ["BTC-PERP", -0.05, 59000], ["SOL-PERP", 3, 150]]],
  ["gamma", 1500, [["BTC-PERP", -0.2, 58000]]],
  ["delta", 3000, [["ETH-PERP", -5, 2800]]],
  ["eps", 12000, [["BTC-PERP", 0.3, 60000], ["ETH-PERP", 1, 3000]]],
];

describe("GET /api/v1/search and the account list's sort, filters and owners", () => {
  let h: RouteHarness;
  beforeAll(async () => {
    h = await startRouteHarness();
    await h.runtime.services.ingest.collateral({
      entries: BOOK.map(([accountId, amount]) => ({ accountId, amount: String(amount), kind: "deposit" as const, idempotencyKey: `s-${accountId}` })),
    });
    await h.runtime.services.ingest.positions({
      source: "venue",
      updates: BOOK.flatMap(([accountId, , positions]) => positions.map(([marketId, qty, entryPrice]) => ({ accountId, marketId, qty, entryPrice, seq: 1 }))),
    });
    await engineSettled(h.runtime);
    // Owners: a `%` and a `_` in e-mails, and a near miss for each that an unescaped pattern would match.
    const users: [string, string[]][] = [
      ["pct%owner@s.test", ["gamma"]],
      ["pctXowner@s.test", ["delta"]],
      ["under_score@s.test", ["eps", "Alpha-ONE"]],
      ["underXscore@s.test", ["xALPHA"]],
      ["Mixed.Case@S.test", ["beta%_1"]],
      ["ghost@s.test", ["not-on-the-venue"]],
    ];
    for (const [email, accountIds] of users) await createUser(h.db.prisma, { email, name: email, role: "trader", accountIds, password: "search-password" });
  });
  afterAll(async () => {
    await h?.stop();
  });

  const search = async (q: string, as: "desk" | "trader" = "desk") => {
    const res = await h.call("GET /api/v1/search", { as, query: `?q=${encodeURIComponent(q)}` });
    expect(res.status, await res.clone().text()).toBe(200);
    return (await res.json()) as AccountSearchResult;
  };
  const ids = (r: AccountSearchResult) => r.items.map((i) => i.accountId);

  it("finds ids by a part, case-insensitive: exact first, then prefixes, then parts", async () => {
    const r = await search("ALPHA");
    // Equal length: by id ("A" before "a").
    expect(ids(r)).toEqual(["Alpha-ONE", "alpha-two", "xALPHA"]);
    expect(r.items.map((i) => i.match)).toEqual(["id-prefix", "id-prefix", "id-part"]);
    expect(r.idMatches).toBe(3);
    const exact = await search("alpha-one");
    expect(exact.items[0]).toMatchObject({ accountId: "Alpha-ONE", match: "id", owners: ["under_score@s.test"] });
    expect(exact.items[0]!.row).toMatchObject({ accountId: "Alpha-ONE", status: expect.any(String), marginRatio: expect.any(Number) });
    expect(ids(await search("lpha-t"))).toEqual(["alpha-two"]);
    expect(ids(await search("pha-"))).toEqual(["Alpha-ONE", "alpha-two"]);
  });

  it("finds accounts by a part of an owner's e-mail, with the owners and the live row", async () => {
    const r = await search("UNDER_SCORE@");
    expect(ids(r)).toEqual(["eps", "Alpha-ONE"]);
    expect(r.items.map((i) => i.match)).toEqual(["email-prefix", "email-prefix"]);
    expect(r.items[0]!.owners).toEqual(["under_score@s.test"]);
    expect(r.items[0]!.row?.positions).toBe(2);
    // The whole e-mail ranks above a part of an id.
    expect((await search("mixed.case@s.test")).items).toMatchObject([{ accountId: "beta%_1", match: "email", owners: ["mixed.case@s.test"] }]);
    // An account bound to a user but not on the venue yet: found, without a row.
    expect((await search("ghost")).items).toEqual([{ accountId: "not-on-the-venue", match: "email-prefix", owners: ["ghost@s.test"], row: null }]);
  });

  it("whatever the table's filters: a healthy flat account is found as well as a queued one", async () => {
    const r = await search("beta");
    expect(ids(r)).toEqual(["beta%_1", "beta-x1"]);
    expect(r.items[0]!.row?.status).toBe("healthy");
    expect(r.items[1]!.row?.status).toBe("unknown");
  });

  it("% and _ in the query are literal characters, in ids and in e-mails", async () => {
    // Unescaped, "%" would match every owned account and "r_s" underXscore's too.
    const pct = await search("%");
    expect(ids(pct)).toEqual(["beta%_1", "gamma"]);
    expect(pct.items.map((i) => i.match)).toEqual(["id-part", "email-part"]);
    expect(ids(await search("r_s"))).toEqual(["eps", "Alpha-ONE"]);
    expect(ids(await search("%_"))).toEqual(["beta%_1"]);
    expect(ids(await search("\\"))).toEqual([]);
    const none = await search("zzz-nothing");
    expect(none).toEqual({ q: "zzz-nothing", items: [], idMatches: 0, ownerMatches: 0, truncated: false });
  });

  it("answers at most 20, best first, and says so when more match", async () => {
    const many = Array.from({ length: 30 }, (_, i) => `many-${String(i).padStart(2, "0")}`);
    await h.runtime.services.ingest.collateral({
      entries: many.map((accountId) => ({ accountId, amount: "10", kind: "deposit" as const, idempotencyKey: `s-${accountId}` })),
    });
    await engineSettled(h.runtime);
    const r = await search("MANY-");
    expect(r.items).toHaveLength(20);
    expect(ids(r)).toEqual(many.slice(0, 20));
    expect(r).toMatchObject({ idMatches: 30, truncated: true });
    expect(ids(await search("many-07"))[0]).toBe("many-07");
  });

  it("is the desk's: a trader gets a 403, signed out a 401", async () => {
    const trader = await h.call("GET /api/v1/search", { as: "trader", query: "?q=alpha" });
    expect(trader.status).toBe(403);
    const none = await h.call("GET /api/v1/search", { as: "none", query: "?q=alpha" });
    expect(none.status).toBe(401);
  });

  it("a missing, empty, too long, repeated or NUL q is a 400 naming q", async () => {
    for (const query of ["", "?q=", `?q=${"a".repeat(129)}`, "?q=a&q=b", "?q=a%00b"]) {
      await expectRefused(h, "GET /api/v1/search", { query }, "q");
    }
    expect((await search("a".repeat(128))).items).toEqual([]);
  });

  describe("the account list", () => {
    const list = async (query: string) => {
      const res = await h.call("GET /api/v1/accounts", { query });
      expect(res.status, await res.clone().text()).toBe(200);
      return (await res.json()) as Page<AccountListRow>;
    };
    type Num = "marginRatio" | "equity" | "maintenanceMargin" | "notional" | "positions";
    /** The whole book sorted independently of the engine: by the row's figure, unknown figures last, ties by id. */
    const expected = (rows: AccountListRow[], column: Num, dir: "asc" | "desc") => {
      const value = (r: AccountListRow): number | null => {
        if (column === "marginRatio") {
          // Risk (−health = −equity / MM), riskiest first descending; flat accounts below every ratio, unknown figures above.
          if (r.positions === 0) return -Infinity;
          if (r.status === "unknown") return Infinity;
          return -(r.equity! / r.maintenanceMargin!);
        }
        return column === "positions" ? r.positions : r.status === "unknown" ? null : r[column];
      };
      const byId = (a: AccountListRow, b: AccountListRow) => (a.accountId < b.accountId ? -1 : 1);
      return [...rows].sort((a, b) => {
        const x = value(a);
        const y = value(b);
        if (x === null || y === null) return x === y ? byId(a, b) : x === null ? 1 : -1;
        const d = dir === "asc" ? (x < y ? -1 : x > y ? 1 : 0) : (x > y ? -1 : x < y ? 1 : 0);
        return d !== 0 ? d : byId(a, b);
      }).map((r) => r.accountId);
    };

    it.each(AT_RISK_SORT_COLUMNS.flatMap((c) => [[c, "asc"], [c, "desc"]] as const))(
      "sort=%s:%s orders the whole book, page after page", async (column, dir) => {
        const all = await list("?limit=1000");
        expect(all.total).toBe(all.items.length);
        const want = expected(all.items, column, dir);
        const got: string[] = [];
        for (let offset = 0; offset < all.total; offset += 4) {
          const page = await list(`?sort=${column}:${dir}&offset=${offset}&limit=4`);
          expect(page.total).toBe(all.total);
          got.push(...page.items.map((r) => r.accountId));
        }
        expect(got).toEqual(want);
      });

    it("sorts only the matches of its filters, and names each account's owners", async () => {
      const page = await list("?sort=notional:desc&market=ETH-PERP&limit=2");
      expect(page.total).toBe(5);
      // alpha-two: 0.5 BTC at 60,000 + 4 ETH at 3,000 = 42,000; xALPHA: 10 ETH = 30,000; beta-x1 (unknown) last.
      expect(page.items.map((r) => r.accountId)).toEqual(["alpha-two", "xALPHA"]);
      const byId = new Map((await list("?limit=1000")).items.map((r) => [r.accountId, r.owners]));
      expect(byId.get("Alpha-ONE")).toEqual(["under_score@s.test"]);
      expect(byId.get("h-trader")).toEqual(["trader@h.test"]);
      expect(byId.get("alpha-two")).toEqual([]);
    });

    it("a bad sort, status, market, minRatio, q, offset or limit is a 400 naming it", async () => {
      const cases: [string, string][] = [
        ["?sort=equity", "sort"], ["?sort=owner:asc", "sort"], ["?sort=equity:up", "sort"], ["?status=nope", "status[0]"],
        ["?status=healthy&status=nope", "status[1]"], ["?minRatio=abc", "minRatio"], ["?minRatio=-1", "minRatio"],
        ["?market=" + "m".repeat(65), "market"], ["?q=" + "a".repeat(65), "q"], ["?offset=-1", "offset"], ["?limit=0", "limit"],
        ["?limit=1001", "limit"], ["?limit=2.5", "limit"],
      ];
      for (const [query, path] of cases) await expectRefused(h, "GET /api/v1/accounts", { query }, path);
    });
  });
});
