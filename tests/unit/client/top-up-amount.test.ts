import { describe, expect, it } from "vitest";
import { readTopUpAmount } from "@/lib/client/top-up-amount";

describe("the top-up form reads the amount as the server will, and says what is wrong", () => {
  it("`.5` is 0.5 and `5.` is 5; the canonical decimal is sent", () => {
    expect(readTopUpAmount(".5", "1000000")).toEqual({ ok: true, amount: "0.5" });
    expect(readTopUpAmount("5.", "1000000")).toEqual({ ok: true, amount: "5" });
    expect(readTopUpAmount(" 0012.50 ", "1000000")).toEqual({ ok: true, amount: "12.5" });
    expect(readTopUpAmount("0.000001", "1000000")).toEqual({ ok: true, amount: "0.000001" });
  });
  it("a 21-digit amount is too large, with the limit; not 'must be more than 0'", () => {
    expect(readTopUpAmount("123456789012345678901", "1000000")).toEqual({ ok: false, message: "Amount: too large: the largest top-up is 1,000,000.00 USD." });
    expect(readTopUpAmount("1000000.000001", "1000000")).toMatchObject({ ok: false, message: expect.stringContaining("too large") });
    expect(readTopUpAmount("123456789012345678901", null)).toEqual({ ok: false, message: "Amount: too large: at most 20 digits before the decimal point." });
    expect(readTopUpAmount("1000000", "1000000")).toEqual({ ok: true, amount: "1000000" });
  });
  it("zero, too many decimals and text are each named", () => {
    expect(readTopUpAmount("0", "1000000")).toEqual({ ok: false, message: "Amount: must be more than 0." });
    expect(readTopUpAmount("0.000", "1000000")).toEqual({ ok: false, message: "Amount: must be more than 0." });
    expect(readTopUpAmount("0.0000001", "1000000")).toMatchObject({ ok: false, message: expect.stringMatching(/^Amount: at most 6 decimals/) });
    for (const text of [".", "", "-5", "1,000", "1e3", "abc", "5..", "+5"]) {
      expect(readTopUpAmount(text, "1000000")).toEqual({ ok: false, message: "Amount: enter a number of USD, like 250 or 1250.50." });
    }
  });
});
