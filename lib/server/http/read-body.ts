import "server-only";
import { InputError } from "@/lib/contracts/api-error";
import { parseJsonBody } from "@/lib/contracts/json-body";
import { formatBytes } from "./body-limits";
import { HttpError } from "../errors";

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

function tooLarge(limit: number): HttpError {
  return new HttpError(413, "payload_too_large",
    `body is larger than this endpoint's limit of ${formatBytes(limit)} (${limit} bytes)`, { connection: "close" });
}

/**
 * The body's bytes, read as they arrive: 413 as soon as more than `limit` came (or a
 * Content-Length above it is declared), the rest never read. The bytes own their whole buffer
 * (never a view into one a stream may reuse), so it can be transferred to another thread.
 */
async function readLimited(request: Request, limit: number): Promise<Uint8Array<ArrayBuffer>> {
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > limit) throw tooLarge(limit);
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}

/**
 * The body of a JSON request as bytes, for a handler that decodes and parses it elsewhere (a
 * what-if thread): Content-Type `application/json` (else 415), at most `limit` bytes (the route's,
 * from BODY_LIMITS) counted while streaming (else 413 naming the limit), in a buffer of their own
 * (transferable). The other thread must still check them with `parseJsonBody`, as `readJson` does.
 */
export async function readJsonBytes(request: Request, limit: number): Promise<Uint8Array<ArrayBuffer>> {
  requireJsonContentType(request.headers);
  return readLimited(request, limit);
}

/**
 * The JSON body of a request, checked before anything reads it: Content-Type `application/json`
 * (else 415 `unsupported_media_type`), at most `limit` bytes (the route's, from BODY_LIMITS)
 * counted while streaming (else 413 `payload_too_large` naming the limit), then `parseJsonBody`:
 * valid UTF-8, nested at most MAX_JSON_DEPTH levels, valid JSON, no NUL or lone surrogate in any
 * string (each else a 400 naming the body or the field).
 */
export async function readJson(request: Request, limit: number): Promise<unknown> {
  const parsed = parseJsonBody(await readJsonBytes(request, limit));
  if (!parsed.ok) throw new InputError([parsed.field]);
  return parsed.value;
}
