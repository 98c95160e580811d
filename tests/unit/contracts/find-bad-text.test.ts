import { describe, expect, it } from "vitest";
import { findBadText } from "@/lib/contracts/text";

describe("findBadText", () => {
  it("names the first string or key holding a NUL or a lone surrogate by its path", () => {
    expect(findBadText({ entries: [{ note: "ok" }, { note: "a\u0000" }] })).toEqual({ path: "entries[1].note", message: "must not contain a NUL character (\\u0000)" });
    expect(findBadText({ prices: { ["x\ud800"]: 1 } })).toEqual({ path: "prices.x\ud800", message: "key must not contain a lone surrogate (invalid Unicode)" });
    expect(findBadText({ a: ["😀", "é", 1, null, true, { b: "\ud83d\ude00" }] })).toBeNull();
  });

  // A million levels: copying the path at each level (what it did at first) is 5×10¹¹ steps.
  it("walks a body however deeply it nests (a path is built only when one is reported)", () => {
    const depth = 1_000_000;
    let value: unknown = "\u0000";
    for (let i = 0; i < depth; i++) value = [value];
    const found = findBadText(value);
    expect(found?.path).toBe("[0]".repeat(depth));
  });
});
