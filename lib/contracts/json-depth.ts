import type { FieldError } from "@/lib/contracts/api-error";

/** The deepest nesting of arrays and objects a JSON body may have. The API's bodies nest a few levels. */
export const MAX_JSON_DEPTH = 64;

const QUOTE = 0x22; // "
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b; // [
const OPEN_OBJECT = 0x7b; // {
const CLOSE_ARRAY = 0x5d; // ]
const CLOSE_OBJECT = 0x7d; // }

/**
 * How deeply the arrays and objects of a JSON text nest (0 for a bare number or string, 1 for
 * `[1]`, 2 for `[[1]]` or `{"a":[]}`), counted in one pass over the text without parsing it:
 * brackets inside strings (escaped quotes included) are not counted. Stops as soon as the depth
 * passes `stopAbove` (the result is then `stopAbove + 1`). On text that is not JSON the result is
 * only an estimate (JSON.parse refuses that text anyway). Run before JSON.parse, whose time grows
 * far faster with nesting than with size (10 MiB of `[[[[…` takes it seconds).
 */
export function jsonDepth(text: string, stopAbove = Infinity): number {
  let depth = 0;
  let deepest = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      // Jump to the closing quote: the next one not escaped by an odd run of backslashes.
      for (;;) {
        const end = text.indexOf('"', i + 1);
        if (end < 0) return deepest;
        let slashes = 0;
        while (text.charCodeAt(end - 1 - slashes) === BACKSLASH) slashes++;
        i = end;
        if (slashes % 2 === 0) break;
      }
    } else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > stopAbove) return deepest;
      }
    } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) {
      depth--;
    }
  }
  return deepest;
}

/** The 400 for a body nested deeper than MAX_JSON_DEPTH levels (at path `(body)`), or null. */
export function nestingProblem(text: string): FieldError | null {
  if (jsonDepth(text, MAX_JSON_DEPTH) <= MAX_JSON_DEPTH) return null;
  return { path: "(body)", message: `body is nested deeper than ${MAX_JSON_DEPTH} levels (arrays and objects)` };
}
