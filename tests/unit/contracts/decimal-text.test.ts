import Decimal from "decimal.js";
import { describe, expect, it } from "vitest";
import { decimalSchema, readDecimal } from "@/lib/contracts/ingest-collateral";

/** What decimal.js makes of a text: the reference the fast path must equal. */
function reference(text: string) {
  const d = new Decimal(text);
  return { canonical: d.toFixed(), negative: d.lt(0), zero: d.isZero(), decimals: d.decimalPlaces(), tooLarge: d.abs().gte(new Decimal("1e20")) };
}

describe("readDecimal", () => {
  it("equals decimal.js on edge cases: signs, zeros, leading and trailing zeros, 20 and 21 integer digits", () => {
    const cases = [
      "0", "-0", "+0", "0.", "-0.000", "000", "1.", "+5", "-5", "005.500", "-12.345", "100", "100.0100",
      "0.000000000000000001", "0.0000000000000000001", "1.5000000000000000000000", "99999999999999999999",
      "99999999999999999999.999", "100000000000000000000", "-100000000000000000000", "00000000000000000000001",
      ".5", "-.25", "1e-7", "1.5e+21", "-2e3",
    ];
    for (const text of cases) expect(readDecimal(text), text).toEqual(reference(text));
  });

  it("equals decimal.js on 20,000 random decimals and on the text of random numbers", () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const digits = (n: number) => Array.from({ length: n }, () => Math.floor(rand() * 10)).join("");
    for (let i = 0; i < 20_000; i++) {
      const sign = ["", "-", "+"][Math.floor(rand() * 3)]!;
      const whole = digits(Math.floor(rand() * 24));
      const fraction = rand() < 0.3 ? "" : `.${digits(Math.floor(rand() * 22))}`;
      const text = `${sign}${whole || "0"}${fraction}`;
      expect(readDecimal(text), text).toEqual(reference(text));
      const n = (rand() - 0.5) * 10 ** Math.floor(rand() * 30 - 12);
      expect(readDecimal(String(n)), String(n)).toEqual(reference(String(n)));
    }
  });

  it("gives the schema's canonical strings and its errors", () => {
    const schema = decimalSchema({ sign: "positive" });
    expect(schema.parse("0050.2500")).toBe("50.25");
    expect(schema.parse(1e-7)).toBe("0.0000001");
    expect(schema.safeParse("-0").error?.issues[0]?.message).toBe('must be > 0 (got "-0")');
    expect(schema.safeParse("1.0000000000000000001").error?.issues[0]?.message).toBe('"1.0000000000000000001" has more than 18 decimals');
    expect(schema.safeParse("100000000000000000000").error?.issues[0]?.message).toBe('"100000000000000000000" is too large (at most 20 integer digits)');
  });
});
