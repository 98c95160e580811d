import { describe, expect, it } from "vitest";
import { accountsQuerySchema } from "@/lib/contracts/desk";
import {
  accountsQueryString, DEFAULT_ACCOUNTS_FILTER, filterFromUrl, filterToUrl, TABLE_DEFAULT_FILTER, type AccountsFilter,
} from "@/lib/client/accounts-filter";

describe("the at-risk table's query string", () => {
  it("asks for a row range sorted riskiest first by default", () => {
    expect(accountsQueryString(DEFAULT_ACCOUNTS_FILTER, 300, 100)).toBe("sort=marginRatio%3Adesc&offset=300&limit=100");
  });

  it("carries every filter, and the API's schema reads back what was meant", () => {
    const qs = accountsQueryString({ status: ["liquidatable", "backstop"], market: "BTC-PERP", minRatio: 0.8, sort: "marginRatio:asc", q: "acct-01" }, 0, 50);
    const params = new URLSearchParams(qs);
    const parsed = accountsQuerySchema.parse({
      status: params.getAll("status"), market: params.get("market"), minRatio: params.get("minRatio"),
      sort: params.get("sort"), q: params.get("q"), offset: params.get("offset"), limit: params.get("limit"),
    });
    expect(parsed).toEqual({ status: ["liquidatable", "backstop"], market: "BTC-PERP", minRatio: 0.8, sort: "marginRatio:asc", q: "acct-01", offset: 0, limit: 50 });
  });
});

describe("the desk table's filter in the page's URL", () => {
  it("says nothing for the default table (accounts at risk, riskiest first)", () => {
    expect(filterToUrl(TABLE_DEFAULT_FILTER, new URLSearchParams()).toString()).toBe("");
    expect(filterFromUrl(new URLSearchParams())).toEqual(TABLE_DEFAULT_FILTER);
  });

  it("reads back every filter and sort it wrote, and keeps the URL's other keys", () => {
    const filters: AccountsFilter[] = [
      { status: [], market: "", minRatio: null, sort: "equity:asc", q: "" },
      { status: ["healthy", "bankrupt"], market: "BTC-PERP", minRatio: 0.85, sort: "notional:desc", q: "acct-0" },
      { status: ["warning"], market: "", minRatio: 0, sort: "positions:asc", q: "x" },
    ];
    for (const filter of filters) {
      const url = filterToUrl(filter, new URLSearchParams("tab=stress&q=old"));
      expect(url.get("tab")).toBe("stress");
      expect(filterFromUrl(new URLSearchParams(url.toString()))).toEqual(filter);
    }
    expect(filterToUrl(filters[0]!, new URLSearchParams()).toString()).toBe("status=all&sort=equity%3Aasc");
  });

  it("a value the table cannot take reads as the default for that key, the rest as written", () => {
    const f = filterFromUrl(new URLSearchParams("status=nope,warning,warning&sort=owner:asc&minRatio=-1&market=BTC-PERP&q=" + "a".repeat(65)));
    expect(f).toEqual({ ...TABLE_DEFAULT_FILTER, status: ["warning"], market: "BTC-PERP" });
    expect(filterFromUrl(new URLSearchParams("status=nope&minRatio=abc&sort=")).status).toEqual(TABLE_DEFAULT_FILTER.status);
  });
});
