import "server-only";
import { randomBytes } from "node:crypto";
import type { Env } from "../env";
import { allowedOrigins } from "../auth/site-origin";

/**
 * The security headers of every answer (pages, API, static files), set in one place: server.ts,
 * before Next or anything else answers.
 *
 * - `Content-Security-Policy`: scripts only with this response's nonce (Next reads it from the
 *   request's own `Content-Security-Policy` header, which server.ts sets, and puts it on every
 *   script it renders; `'strict-dynamic'` lets those load their chunks); connections to this
 *   site only (its socket.io websocket included); no plugins, no `<base>`, forms post here only;
 *   `frame-ancestors 'none'`: no other page may frame one of ours (the top-up form).
 * - `X-Frame-Options: DENY` for browsers without CSP level 2; `X-Content-Type-Options: nosniff`.
 * - `Referrer-Policy: strict-origin-when-cross-origin`: never a path to another site. Not
 *   `no-referrer`: browsers then send `Origin: null` on POSTs, which the CSRF check refuses.
 * - `Strict-Transport-Security` only when LIQDESK_PUBLIC_URL is https (never on plain http).
 */
export function securityHeaders(env: Pick<Env, "LIQDESK_PUBLIC_URL" | "PORT">, options: { dev: boolean }) {
  const origins = allowedOrigins(env);
  const sockets = origins.map((o) => o.replace(/^http/, "ws"));
  const https = env.LIQDESK_PUBLIC_URL?.startsWith("https:") ?? false;
  return (nonce: string): Record<string, string> => {
    const policy = [
      "default-src 'self'",
      // Next's development build evaluates modules with eval (React Refresh); the production build does not.
      `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${options.dev ? " 'unsafe-eval'" : ""}`,
      // React and the charts set style attributes; a nonce here would disable 'unsafe-inline'.
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data: blob:",
      "font-src 'self' data:",
      `connect-src 'self' ${sockets.join(" ")}`,
      "object-src 'none'",
      "base-uri 'none'",
      "form-action 'self'",
      "frame-ancestors 'none'",
      ...(https ? ["upgrade-insecure-requests"] : []),
    ].join("; ");
    return {
      "content-security-policy": policy,
      "x-frame-options": "DENY",
      "x-content-type-options": "nosniff",
      "referrer-policy": "strict-origin-when-cross-origin",
      ...(https ? { "strict-transport-security": "max-age=31536000" } : {}),
    };
  };
}

/** A fresh nonce for one response's scripts. */
export function newNonce(): string {
  return randomBytes(16).toString("base64");
}
