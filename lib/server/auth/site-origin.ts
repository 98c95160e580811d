/**
 * Where this site is: the origins its pages are served from, and whether a request's `Host`
 * names it. One home for the allow-list that the CSRF check (same-origin.ts), the socket
 * handshake (socket-auth.ts), better-auth's base URL (auth.ts) and server.ts's Host check use.
 */
import type { Env } from "../env";

type SiteEnv = Pick<Env, "LIQDESK_PUBLIC_URL" | "PORT">;

/** `scheme://host[:port]` of the site: LIQDESK_PUBLIC_URL's, or http://localhost:PORT and http://127.0.0.1:PORT. */
export function allowedOrigins(env: SiteEnv): string[] {
  return env.LIQDESK_PUBLIC_URL ? [new URL(env.LIQDESK_PUBLIC_URL).origin] : [`http://localhost:${env.PORT}`, `http://127.0.0.1:${env.PORT}`];
}

/** The `host[:port]` of each allowed origin (better-auth's `allowedHosts`). */
export function allowedHosts(env: SiteEnv): string[] {
  return allowedOrigins(env).map((origin) => new URL(origin).host);
}

/** A URL's origin (`scheme://host[:port]`, default ports dropped), or null when it is not an http(s) URL. */
export function originOf(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.origin : null;
  } catch {
    return null;
  }
}

export interface HostRefusal {
  status: 400 | 421;
  code: "bad_host" | "unknown_host";
  message: string;
}

/**
 * Why a request's `Host` header cannot be answered, or null. Malformed (not `host[:port]`,
 * missing): 400. Well formed but not this site's while no LIQDESK_PUBLIC_URL is set (the site is
 * http://localhost:PORT and http://127.0.0.1:PORT, and better-auth resolves its base URL from the
 * Host): 421 Misdirected Request. With LIQDESK_PUBLIC_URL, any well-formed Host is answered (a
 * load balancer may rewrite it); the public URL is then the only origin pages and sockets accept.
 */
export function hostRefusal(host: string | undefined, env: SiteEnv): HostRefusal | null {
  if (!host) return { status: 400, code: "bad_host", message: "the Host header is missing" };
  let parsed: URL | null = null;
  try {
    parsed = new URL(`http://${host}`);
  } catch {
    // not a host
  }
  // `new URL` also accepts what is not a Host (userinfo, a path, a query): only `host[:port]`, as written, passes.
  if (!parsed || parsed.username || parsed.password || parsed.pathname !== "/" || parsed.search || parsed.hash
    || !/^[\x21-\x7e]+$/.test(host) || !sameHost(parsed, host)) {
    return { status: 400, code: "bad_host", message: `the Host header ${JSON.stringify(host.slice(0, 100))} is not a host[:port]` };
  }
  if (env.LIQDESK_PUBLIC_URL) return null;
  const own = allowedHosts(env);
  if (own.includes(parsed.host)) return null;
  return {
    status: 421, code: "unknown_host",
    message: `this server answers at ${allowedOrigins(env).join(" and ")} (Host ${parsed.host} is not one of them; `
      + "set LIQDESK_PUBLIC_URL to the address users reach it at)",
  };
}

/** Whether the parsed host is the header as written (case aside; `:80`, the default port, may be written or not). */
function sameHost(parsed: URL, host: string): boolean {
  const written = host.toLowerCase();
  return written === parsed.host || written === `${parsed.hostname}:80`;
}
