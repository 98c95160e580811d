import "server-only";
import { type FieldError } from "@/lib/contracts/api-error";
import { formatPath } from "@/lib/risk/risk-issue";
import { textProblem } from "@/lib/contracts/text";

/** A request's query string as an object; a repeated key becomes an array (`?status=a&status=b`). */
export function searchParams(request: Request): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of new URL(request.url).searchParams) {
    const held = out[key];
    out[key] = held === undefined ? value : Array.isArray(held) ? [...held, value] : [held, value];
  }
  return out;
}

/**
 * Every query parameter (key and value) and path parameter of a request that is not text (a NUL,
 * a lone surrogate: `textProblem`), named by its key (`accountId`, `id`). Empty when all are.
 */
export function paramProblems(request: Request, params: unknown): FieldError[] {
  const problems: FieldError[] = [];
  const check = (path: string, value: string) => {
    const problem = textProblem(value);
    if (problem) problems.push({ path, message: problem });
  };
  for (const [key, value] of new URL(request.url).searchParams) {
    check(formatPath([key]), key);
    check(formatPath([key]), value);
  }
  if (params && typeof params === "object") {
    for (const [key, value] of Object.entries(params)) {
      for (const v of Array.isArray(value) ? value : [value]) if (typeof v === "string") check(formatPath([key]), v);
    }
  }
  return problems;
}
