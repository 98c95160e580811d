import { describe, expect, it } from "vitest";
import { describeValue } from "@/lib/contracts/zod-issues";

describe("describeValue: how a wrong value is named in an error", () => {
  it("numbers as written, strings quoted (long ones cut), other things by kind with the right article", () => {
    expect([1.5, "abc", "x".repeat(50), null, [1], {}, true, undefined, 1n, () => 1].map(describeValue)).toEqual([
      "1.5", '"abc"', `"${"x".repeat(40)}…"`, "null", "an array", "an object", "a boolean", "nothing", "a bigint", "a function",
    ]);
  });
});
