import { z } from "zod";
import { describeValue } from "./zod-issues";

/**
 * A query string's schema: its parameters, each checked, and any other parameter refused by name.
 * A misspelt filter (`?stauts=bankrupt`) must not answer as if there were no filter: the page
 * would show every account under a heading that says "bankrupt". `parameters`: the names it takes.
 */
export function querySchema<T extends z.ZodRawShape>(shape: T) {
  const known = Object.keys(shape) as (keyof T & string)[];
  const schema = z.looseObject(shape).transform((q, ctx) => {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(q)) {
      if (known.includes(key)) out[key] = value;
      else ctx.addIssue({ code: "custom", path: [key], message: `is not a parameter of this endpoint (it takes ${known.join(", ")})` });
    }
    return out as z.infer<z.ZodObject<T>>;
  });
  return Object.assign(schema, { parameters: known as readonly (keyof T & string)[] });
}

/** A number given in a query string, as written: "must be <what> (got "abc")", never "got NaN". */
function queryNumberOf(what: string, pattern: RegExp, min: number, max: number) {
  return z.string({ error: (issue) => `must be ${what} (got ${describeValue(issue.input)})` }).transform((text, ctx) => {
    const n = Number(text);
    if (!pattern.test(text.trim()) || !Number.isFinite(n)) ctx.addIssue({ code: "custom", message: `must be ${what} (got ${describeValue(text)})` });
    else if (n < min) ctx.addIssue({ code: "custom", message: `must be at least ${min} (got ${text})` });
    else if (n > max) ctx.addIssue({ code: "custom", message: `must be at most ${max} (got ${text})` });
    else return n;
    return z.NEVER;
  });
}

/** A whole number in `[min, max]` given in a query string. */
export function queryInt(min: number, max: number) {
  return queryNumberOf("a whole number", /^[+-]?\d+$/, min, max);
}

/** A decimal number in `[min, max]` given in a query string (`0.9`, `.5`, `1e-3`). */
export function queryDecimal(min: number, max: number) {
  return queryNumberOf("a number", /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i, min, max);
}
