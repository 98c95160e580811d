import { describe, expect, it } from "vitest";
import { accountsQuerySchema } from "@/lib/contracts/desk";
import { accountsQueryString, DEFAULT_ACCOUNTS_FILTER } from "@/lib/client/accounts-filter";

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
