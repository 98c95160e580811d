/**
 * CSRF protection for requests made with a session cookie: a state-changing request must come
 * from a page of this site. Its `Origin` (or, when a client sends none, its `Referer`) must be
 * one of the site's origins (site-origin.ts: scheme, host and port all equal), and
 * `Sec-Fetch-Site`, when present, must not say cross-site. A request that carries neither header
 * is refused too: every browser sends `Origin` on a cross-origin POST, so only a non-browser
 * client can omit both, and it can as well send the header.
 */
import { originOf } from "./site-origin";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function isStateChanging(method: string): boolean {
  return !SAFE_METHODS.has(method.toUpperCase());
}

/** null when the request is same-site, else why not. `allowedOrigins`: `scheme://host[:port]` each. */
export function crossSiteReason(headers: Headers, allowedOrigins: readonly string[]): string | null {
  if (headers.get("sec-fetch-site") === "cross-site") return "Sec-Fetch-Site: cross-site";
  const origin = headers.get("origin");
  const referer = headers.get("referer");
  const source = origin && origin !== "null" ? origin : referer;
  if (!source) return "no Origin or Referer header";
  const from = originOf(source);
  if (!from || !allowedOrigins.includes(from)) {
    return `Origin ${(origin && origin !== "null" ? origin : from ?? "(not a URL)").slice(0, 200)} is not this site (${allowedOrigins.join(", ")})`;
  }
  return null;
}
