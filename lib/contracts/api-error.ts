import type { z } from "zod";
import { formatPath } from "@/lib/risk/risk-issue";

/** One invalid field: its path as written in the request (`ticks[3].price`) and what is wrong. */
export interface FieldError {
  path: string;
  message: string;
}

/** The body of every API error: `{ "error": { "code", "message", "fields"? } }`. */
export interface ApiErrorBody {
  error: { code: string; message: string; fields?: FieldError[] };
}

/** Input that fails validation: nothing was applied. The message names every bad field. */
export class InputError extends Error {
  readonly code = "invalid_input";
  constructor(readonly fields: FieldError[]) {
    super(fields.map((f) => `${f.path}: ${f.message}`).join("; "));
    this.name = "InputError";
  }
}

/**
 * Whether an error is an InputError. Structural, not `instanceof`: route handlers and the live
 * runtime are loaded in different module graphs (Next's bundle and server.ts), each with its
 * own copy of the class.
 */
export function isInputError(error: unknown): error is InputError {
  return error instanceof Error && error.name === "InputError" && Array.isArray((error as InputError).fields);
}

/** An issue's message; a bad record key says what is wrong with it, not only "Invalid key in record". */
export function issueMessage(issue: { readonly message: string; readonly code?: string; readonly issues?: readonly { readonly message: string }[] }): string {
  return issue.code === "invalid_key" && issue.issues?.[0] ? `key ${issue.issues[0].message}` : issue.message;
}

/** Parses with a zod schema; failure throws an InputError naming each field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new InputError(result.error.issues.map((i) => ({ path: formatPath(i.path), message: issueMessage(i) })));
}
