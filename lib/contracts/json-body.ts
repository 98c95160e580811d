import type { FieldError } from "@/lib/contracts/api-error";
import { nestingProblem } from "@/lib/contracts/json-depth";
import { findBadText } from "@/lib/contracts/text";

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * A JSON request body's bytes, checked in the order that keeps each step cheap: valid UTF-8
 * (decoded strictly: never replaced), nested at most MAX_JSON_DEPTH levels (one linear scan before
 * JSON.parse, which takes seconds on megabytes of `[[[[…`), valid JSON, and no string anywhere in
 * it holding a NUL or a lone surrogate. The value, or the one field error that refused it. Run on
 * the main thread by `readJson` (lib/server/http/read-body.ts) and in the what-if thread.
 */
export function parseJsonBody(bytes: Uint8Array): { ok: true; value: unknown } | { ok: false; field: FieldError } {
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    return { ok: false, field: { path: "(body)", message: "body is not valid UTF-8" } };
  }
  const tooDeep = nestingProblem(text);
  if (tooDeep) return { ok: false, field: tooDeep };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, field: { path: "(body)", message: "body is not valid JSON" } };
  }
  const bad = findBadText(value);
  return bad ? { ok: false, field: bad } : { ok: true, value };
}
