/**
 * The first check of every HTTP request, in server.ts before anything else reads it (Next, the
 * Host check, better-auth): a method the app answers, one `Host` header, and a path and query that
 * are strict UTF-8 percent-encoding with no dot-segments. What fails is refused here with a 4xx in
 * the API's error shape: past this point, Next's decoding (a 500 on `%ZZ`), its dot-segment
 * normalisation (`/api/health/../auth/…` would be judged by its raw prefix and answered as another
 * path) and U+FFFD replacement of invalid bytes in a query never see it.
 */
import type { FieldError } from "@/lib/contracts/api-error";

/** The methods the app answers; any other (TRACE, TRACK, CONNECT, …) is 405. */
export const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;
const ALLOWED = new Set<string>(METHODS);

export interface RequestRefusal {
  status: 400 | 405;
  code: "bad_method" | "bad_host" | "bad_path" | "invalid_input";
  message: string;
  fields?: FieldError[];
  headers?: Record<string, string>;
}

/** Why this request line and its headers cannot be answered, or null. `rawHeaders` as Node gives them (name, value, …). */
export function requestLineRefusal(method: string | undefined, url: string | undefined, rawHeaders: readonly string[]): RequestRefusal | null {
  if (!method || !ALLOWED.has(method)) {
    return { status: 405, code: "bad_method", message: `method ${JSON.stringify(String(method).slice(0, 20))} is not answered here`, headers: { allow: METHODS.join(", ") } };
  }
  let hosts = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) if (rawHeaders[i]!.toLowerCase() === "host") hosts++;
  if (hosts > 1) return { status: 400, code: "bad_host", message: `the request has ${hosts} Host headers: one is allowed` };
  return pathRefusal(url ?? "");
}

/** The path's problem (not `/…`, not strict UTF-8 percent-encoding, a NUL, a backslash, a dot-segment), or the query's, or null. */
export function pathRefusal(url: string): RequestRefusal | null {
  const cut = url.indexOf("?");
  const rawPath = cut === -1 ? url : url.slice(0, cut);
  const bad = (why: string): RequestRefusal => ({ status: 400, code: "bad_path", message: `the path ${JSON.stringify(rawPath.slice(0, 200))} ${why}` });
  if (!rawPath.startsWith("/")) return bad("is not an absolute path");
  const path = strictDecode(rawPath);
  if (path === null) return bad("is not UTF-8 percent-encoding");
  if (path.includes("\0")) return bad("contains a NUL");
  if (path.includes("\\")) return bad("contains a backslash");
  if (path.split("/").some((s) => s === "." || s === "..")) return bad("contains a dot-segment (. or ..), encoded or not");
  return cut === -1 ? null : queryRefusal(url.slice(cut + 1));
}

/** Each query parameter whose key or value is not UTF-8 percent-encoding (invalid bytes are refused, never replaced by U+FFFD), named. */
function queryRefusal(query: string): RequestRefusal | null {
  const fields: FieldError[] = [];
  for (const pair of query.split("&")) {
    if (!pair) continue;
    const eq = pair.indexOf("=");
    const rawKey = eq === -1 ? pair : pair.slice(0, eq);
    const key = strictDecode(rawKey.replaceAll("+", " "));
    const value = eq === -1 ? "" : strictDecode(pair.slice(eq + 1).replaceAll("+", " "));
    if (key === null || value === null) {
      fields.push({ path: key ?? rawKey.slice(0, 100), message: "is not UTF-8 percent-encoding (a byte sequence that is not UTF-8, or a % not followed by two hex digits)" });
    }
  }
  if (!fields.length) return null;
  return { status: 400, code: "invalid_input", message: fields.map((f) => `${f.path}: ${f.message}`).join("; "), fields };
}

/** `decodeURIComponent`, which refuses a bad `%`, overlong forms, encoded surrogates and truncated sequences; null when it does. */
function strictDecode(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

/** The path as routed (dot-segments resolved, the query dropped): what an exemption by path is decided on. */
export function routedPath(url: string): string {
  try {
    return new URL(`http://localhost${url.startsWith("/") ? url : `/${url}`}`).pathname;
  } catch {
    return "/";
  }
}

/** Whether `path` is `prefix` itself or below it (`/api/health`, `/api/health/…`; never `/api/healthz`). */
export function isUnder(path: string, prefix: string): boolean {
  const base = prefix.endsWith("/") ? prefix.slice(0, -1) : prefix;
  return path === base || path.startsWith(`${base}/`);
}
