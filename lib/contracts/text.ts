import { z } from "zod";
import { type FieldError } from "@/lib/contracts/api-error";
import { formatPath } from "@/lib/risk/risk-issue";
import { expected } from "@/lib/contracts/zod-issues";

const NUL = /\u0000/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Why a string cannot be taken as text, or null when it can: a NUL character (PostgreSQL `text`
 * cannot hold one) or a lone UTF-16 surrogate (no UTF-8 encoding exists for it). Every string of
 * every request — body fields, record keys, query and path parameters — goes through this.
 */
export function textProblem(value: string): string | null {
  if (NUL.test(value)) return "must not contain a NUL character (\\u0000)";
  if (LONE_SURROGATE.test(value)) return "must not contain a lone surrogate (invalid Unicode)";
  return null;
}

/**
 * The API's string: a string (else "must be a string (got …)"), at most `max` characters, at least
 * `min` (default 1: "must not be empty"), with no NUL character and no lone surrogate.
 */
export function textSchema(max: number, opts: { min?: number } = {}) {
  const min = opts.min ?? 1;
  return z
    .string({ error: expected("a string") })
    .min(min, { error: min === 1 ? "must not be empty" : `must be at least ${min} characters` })
    .max(max, { error: `must be at most ${max} characters` })
    .superRefine((value, ctx) => {
      const problem = textProblem(value);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    });
}

/** Where a value sits in the body: its key and its parent's place (a path is built only when one is reported). */
interface Place {
  key: string | number;
  parent: Place | null;
}

function pathOf(place: Place | null): string {
  const keys: (string | number)[] = [];
  for (let p = place; p; p = p.parent) keys.push(p.key);
  return formatPath(keys.reverse());
}

/**
 * The first string in a parsed JSON value — object key or value, at any depth — that is not text
 * (`textProblem`: a NUL or a lone surrogate), as a field error naming where it is. Iterative and
 * linear in the size of the value, however deeply it nests.
 */
export function findBadText(root: unknown): FieldError | null {
  const stack: { value: unknown; place: Place | null }[] = [{ value: root, place: null }];
  while (stack.length > 0) {
    const { value, place } = stack.pop()!;
    if (typeof value === "string") {
      const problem = textProblem(value);
      if (problem) return { path: pathOf(place), message: problem };
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) {
        if (typeof value[i] === "object" || typeof value[i] === "string") stack.push({ value: value[i], place: { key: i, parent: place } });
      }
    } else if (value !== null && typeof value === "object") {
      const keys = Object.keys(value);
      for (let i = keys.length - 1; i >= 0; i--) {
        const key = keys[i]!;
        const problem = textProblem(key);
        if (problem) return { path: pathOf({ key, parent: place }), message: `key ${problem}` };
        const child = (value as Record<string, unknown>)[key];
        if (typeof child === "object" || typeof child === "string") stack.push({ value: child, place: { key, parent: place } });
      }
    }
  }
  return null;
}
