// Issue 15 (bodies): the nesting scanner run before JSON.parse counts only the brackets that are
// JSON structure, never those inside strings (escaped quotes and backslashes included).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { jsonDepth, MAX_JSON_DEPTH, nestingProblem } from "@/lib/contracts/json-depth";

/** The nesting of a parsed value, as JSON.parse built it. */
function trueDepth(value: unknown): number {
  if (Array.isArray(value)) return 1 + value.reduce<number>((m, v) => Math.max(m, trueDepth(v)), 0);
  if (value !== null && typeof value === "object") return 1 + Object.values(value).reduce<number>((m, v) => Math.max(m, trueDepth(v)), 0);
  return 0;
}

/** Strings full of what could fool a scanner: brackets, quotes, backslashes. */
const trickyString = fc.string({ unit: fc.constantFrom("[", "]", "{", "}", "\"", "\\", "\\\"", "a", ":", ",", "é", "\n") });

describe("jsonDepth", () => {
  it("counts arrays and objects, not brackets in strings", () => {
    expect(jsonDepth("1")).toBe(0);
    expect(jsonDepth("\"[[[{{{\"")).toBe(0);
    expect(jsonDepth("[]")).toBe(1);
    expect(jsonDepth("{\"a\":[{}]}")).toBe(3);
    expect(jsonDepth(JSON.stringify({ "[[[": "\\\"[[[[", b: ["\\", "]]]}}}\"{{{"] }))).toBe(2);
    expect(jsonDepth(JSON.stringify(["\\\\\"[", [["\"]"]]]))).toBe(3);
  });

  it("a string of brackets nested deeply inside quotes is not miscounted", () => {
    const text = JSON.stringify({ note: "[".repeat(100_000) + "\"" + "{".repeat(100_000), list: [["x"]] });
    expect(jsonDepth(text)).toBe(3);
    expect(nestingProblem(text)).toBeNull();
  });

  it("equals the true depth of any JSON value (property)", () => {
    const { tree } = fc.letrec((tie) => ({
      tree: fc.oneof({ depthSize: "small", withCrossShrink: true },
        fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null), trickyString, fc.string()),
        fc.array(tie("tree"), { maxLength: 4 }),
        fc.dictionary(trickyString, tie("tree"), { maxKeys: 4 })),
    }));
    fc.assert(fc.property(tree, fc.boolean(), (value, pretty) => {
      const text = JSON.stringify(value, null, pretty ? 2 : undefined);
      expect(jsonDepth(text)).toBe(trueDepth(JSON.parse(text)));
    }), { numRuns: 500 });
  });

  it("refuses past MAX_JSON_DEPTH levels, naming the body, and stops counting there", () => {
    const at = "[".repeat(MAX_JSON_DEPTH) + "]".repeat(MAX_JSON_DEPTH);
    expect(nestingProblem(at)).toBeNull();
    const deeper = "[" + at + "]";
    expect(nestingProblem(deeper)).toEqual({ path: "(body)", message: `body is nested deeper than ${MAX_JSON_DEPTH} levels (arrays and objects)` });
    expect(jsonDepth("[".repeat(1_000_000), 10)).toBe(11);
  });
});
