import { describe, expect, it } from "vitest";
import type { MarginCallsResponse, MarginCallView } from "@/lib/contracts/margin-calls";
import { mergeMarginCalls, newerCall, openCallOf, withCallUpdate } from "@/lib/client/margin-call-list";

const call = (id: string, state: MarginCallView["state"], issuedAt: number, credited = "0"): MarginCallView => ({
  id, accountId: "a", state, amount: "100", suggestedAmount: "100", message: "m", deadline: issuedAt + 3_600_000, issuedAt,
  issuer: { name: "Desk", email: "desk@x" }, alertId: null, statusAtIssue: "liquidatable", ratioAtIssue: 1.1, credited,
  remaining: state === "met" ? "0" : String(100 - Number(credited)), closedAt: state === "open" ? null : issuedAt + 1000,
  closedBy: state === "open" ? null : "system", closeReason: state === "met" ? "credits" : null, closeNote: null, expiryAlertId: null,
});
const list = (calls: MarginCallView[], serverTime = 10_000): MarginCallsResponse => ({ accountId: "a", calls, suggestion: null, serverTime });

describe("margin calls on a page: pushes and polls", () => {
  it("a closed call never goes back to open: a poll read before the push of its close keeps it closed", () => {
    const met = call("2", "met", 5000, "100");
    const staleOpen = call("2", "open", 5000, "40");
    expect(newerCall(met, staleOpen)).toBe(met);
    const merged = mergeMarginCalls(list([met, call("1", "expired", 1000)]), list([staleOpen, call("1", "expired", 1000)]));
    expect(merged.calls.map((c) => [c.id, c.state])).toEqual([["2", "met"], ["1", "expired"]]);
  });

  it("between two open versions the later one wins (the credits so far grow)", () => {
    expect(newerCall(call("2", "open", 5000, "10"), call("2", "open", 5000, "40")).credited).toBe("40");
  });

  it("a push adds a new call on top, or updates one in place; the open one is found", () => {
    const before = list([call("1", "met", 1000)]);
    const issued = withCallUpdate(before, { accountId: "a", call: call("2", "open", 5000), serverTime: 5001 })!;
    expect(issued.calls.map((c) => c.id)).toEqual(["2", "1"]);
    expect(openCallOf(issued.calls)?.id).toBe("2");
    const met = withCallUpdate(issued, { accountId: "a", call: call("2", "met", 5000, "100"), serverTime: 6000 })!;
    expect(met.calls.map((c) => [c.id, c.state])).toEqual([["2", "met"], ["1", "met"]]);
    expect(openCallOf(met.calls)).toBeNull();
    // Another account's push changes nothing here.
    expect(withCallUpdate(before, { accountId: "b", call: { ...call("9", "open", 1), accountId: "b" }, serverTime: 1 })).toBe(before);
  });

  it("a call pushed after a poll's answer was read stays until the next poll names it", () => {
    const pushed = withCallUpdate(list([]), { accountId: "a", call: call("3", "open", 9_990), serverTime: 9_991 })!;
    expect(mergeMarginCalls(pushed, list([], 9_995)).calls.map((c) => c.id)).toEqual(["3"]);
  });
});
