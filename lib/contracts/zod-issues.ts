import type { z } from "zod";
import { issueMessage, type FieldError } from "@/lib/contracts/api-error";
import { formatPath } from "@/lib/risk/risk-issue";

/** A parse that either succeeded or names every bad field (`accounts[2].positions[0].qty`). */
export type FieldParseResult<T> = { success: true; data: T } | { success: false; fields: FieldError[] };

/** zod (or model) issues as `{ path, message }` with paths like `accounts[2].positions[0].qty`. */
export function toFieldErrors(issues: readonly { readonly path: readonly PropertyKey[]; readonly message: string }[]): FieldError[] {
  return issues.map((i) => ({ path: formatPath(i.path), message: issueMessage(i) }));
}

/** How a value looks in an error message: numbers as written, strings quoted, else its type. */
export function describeValue(value: unknown): string {
  if (typeof value === "number") return String(value);
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "undefined") return "nothing";
  return /^[aeiou]/.test(typeof value) ? `an ${typeof value}` : `a ${typeof value}`;
}

/** A zod error callback for a typed field: "is required" or "must be <what> (got <value>)". */
export function expected(what: string) {
  return (issue: z.core.$ZodRawIssue): string =>
    issue.input === undefined ? "is required" : `must be ${what} (got ${describeValue(issue.input)})`;
}
