import "server-only";
import { formatPath, InputError, type FieldError } from "@/lib/contracts/api-error";
import { textProblem } from "@/lib/contracts/text";
import { HttpError } from "./http-error";

/**
 * Largest request body accepted, in bytes (10,000 ingest items fit with room to spare). The one
 * body limit of the app: every JSON endpoint reads its body through `readJson`, which counts the
 * bytes as they arrive and stops at this many, whatever Content-Length said (or without one:
 * chunked).
 */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

const JSON_TYPE = /^application\/json\s*(;|$)/i;
const CHARSET = /;\s*charset\s*=\s*"?([^";\s]+)"?/i;

/** 415 unless the Content-Type is `application/json` (a `charset` parameter, if any, must be utf-8). */
export function requireJsonContentType(headers: Headers): void {
  const type = headers.get("content-type")?.trim() ?? "";
  const charset = CHARSET.exec(type)?.[1]?.toLowerCase();
  if (!JSON_TYPE.test(type) || (charset !== undefined && charset !== "utf-8" && charset !== "utf8")) {
    throw new HttpError(415, "unsupported_media_type",
      `the body must be JSON sent as Content-Type: application/json (UTF-8)${type ? `, not ${type.slice(0, 100)}` : "; none was given"}`);
  }
}

function tooLarge(): HttpError {
  return new HttpError(413, "payload_too_large", `body is larger than ${MAX_BODY_BYTES} bytes`, { connection: "close" });
}

/**
 * The body's bytes, read as they arrive: 413 as soon as more than MAX_BODY_BYTES came (or a
 * Content-Length above it is declared), the rest never read.
 */
async function readLimited(request: Request): Promise<Uint8Array> {
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > MAX_BODY_BYTES) throw tooLarge();
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0]!;
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
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

/**
 * The JSON body of a request, checked before anything reads it: Content-Type `application/json`
 * (else 415 `unsupported_media_type`), at most MAX_BODY_BYTES counted while streaming (else 413
 * `payload_too_large`), valid UTF-8 (decoded strictly: never replaced), valid JSON, and no string
 * anywhere in it holding a NUL or a lone surrogate (each else a 400 naming the body or the field).
 */
export async function readJson(request: Request): Promise<unknown> {
  requireJsonContentType(request.headers);
  const bytes = await readLimited(request);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new InputError([{ path: "(body)", message: "body is not valid UTF-8" }]);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new InputError([{ path: "(body)", message: "body is not valid JSON" }]);
  }
  const bad = findBadText(body);
  if (bad) throw new InputError([bad]);
  return body;
}
