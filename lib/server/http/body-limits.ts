/**
 * The largest request body each kind of endpoint takes, in bytes: the one place the body limits
 * are set. Every JSON endpoint names its limit when it reads its body
 * (`readJson(request, BODY_LIMITS.topUp)`, lib/server/http/read-body.ts), which counts the bytes as
 * they arrive and answers 413 past it, whatever Content-Length said (or without one: chunked). A
 * small limit where only a small body makes sense keeps an unauthenticated sign-in, or a trader's
 * top-up, from holding the main thread while a large body is parsed.
 */
export const BODY_LIMITS = {
  /** better-auth's POSTs (sign-in, sign-out): an email and a password; public. */
  auth: 16 * 1024,
  /** A trader's top-up and its preview, a stress run: a handful of fields. */
  topUp: 64 * 1024,
  stress: 64 * 1024,
  /** An alert rule: up to 1,000 account ids of 128 characters (docs/ALERTS.md). */
  alertRule: 256 * 1024,
  /**
   * A batch: an ingest batch (10,000 items fit with room to spare), or a what-if book
   * (`/risk/evaluate`: tens of thousands of accounts, parsed in a what-if thread).
   */
  batch: 10 * 1024 * 1024,
} as const;

/** `16 KiB`, `10 MiB`: a limit as a person reads it. */
export function formatBytes(bytes: number): string {
  if (bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}
