import { describe, expect, it } from "vitest";
import { isHealthyAgain, isInDanger, suggestedCallAmount } from "@/lib/server/margin-calls/account-danger";

describe("when an account is in danger, for a margin call", () => {
  it("healthy with equity ≥ 0 is out of danger; warning or worse is in danger; unknown is neither", () => {
    expect(isHealthyAgain({ status: "healthy", equity: 10 })).toBe(true);
    expect(isInDanger({ status: "healthy", equity: 10 })).toBe(false);
    for (const status of ["warning", "liquidatable", "backstop", "bankrupt"] as const) {
      expect(isInDanger({ status, equity: 10 })).toBe(true);
      expect(isHealthyAgain({ status, equity: 10 })).toBe(false);
    }
    expect(isInDanger({ status: "unknown", equity: null })).toBe(false);
    expect(isHealthyAgain({ status: "unknown", equity: null })).toBe(false);
  });

  it("a flat account in debt is healthy by spec §3 but in danger; its debt rounded up to the cent is the suggestion", () => {
    const debt = { status: "healthy" as const, equity: -123.451 };
    expect(isInDanger(debt)).toBe(true);
    expect(isHealthyAgain(debt)).toBe(false);
    expect(suggestedCallAmount(debt, null)).toBe("123.46");
    // Float noise below a micro-dollar is no debt.
    expect(isInDanger({ status: "healthy", equity: -0.0000001 })).toBe(false);
  });

  it("the suggestion is the top-up preview's 'healthy' preset when there is one; none when not in danger", () => {
    expect(suggestedCallAmount({ status: "liquidatable", equity: 500 }, "1234.57")).toBe("1234.57");
    expect(suggestedCallAmount({ status: "healthy", equity: 500 }, null)).toBeNull();
  });
});
