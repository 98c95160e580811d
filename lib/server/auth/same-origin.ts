/**
 * CSRF protection for requests made with a session cookie: a state-changing request must come
 * from a page of this site. Its `Origin` (or, when a client sends none, its `Referer`) must name
 * the host the request was sent to (or one of the configured hosts), and `Sec-Fetch-Site`, when
 * present, must not say cross-site. A request that carries neither header is refused too: every
 * browser sends `Origin` on a cross-origin POST, so only a non-browser client can omit both, and
 * it can as well send the header.
 */
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function isStateChanging(method: string): boolean {
  return !SAFE_METHODS.has(method.toUpperCase());
}

function hostOf(url: string): string | null {
  try {
    return new URL(url).host;
  } catch {
    return null;
  }
}

/** null when the request is same-site, else why not. */
export function crossSiteReason(headers: Headers, allowedHosts: readonly string[]): string | null {
  if (headers.get("sec-fetch-site") === "cross-site") return "Sec-Fetch-Site: cross-site";
  const origin = headers.get("origin");
  const referer = headers.get("referer");
  const source = origin && origin !== "null" ? origin : referer;
  if (!source) return "no Origin or Referer header";
  const host = hostOf(source);
  const own = [headers.get("host"), ...allowedHosts].filter((h): h is string => Boolean(h));
  if (!host || !own.includes(host)) return `Origin ${origin ?? referer} is not this site`;
  return null;
}
