import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * How a webhook delivery is signed and how a receiver checks it (docs/WEBHOOKS.md, "Verifying a
 * delivery"). The header is `Liqdesk-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>` over
 * `"<t>.<raw body>"` with the webhook's secret as the key: the timestamp is signed with the body,
 * so a captured request cannot be replayed later than the receiver's tolerance, nor its body changed.
 * No server-only import: a receiver written in TypeScript may take this file as it is.
 */

export const SIGNATURE_HEADER = "Liqdesk-Signature";
/** The delivery's id: the same on every retry of one delivery, so a receiver can drop duplicates. */
export const DELIVERY_HEADER = "Liqdesk-Delivery";
/** "alert.raised", …, "webhook.test". */
export const EVENT_HEADER = "Liqdesk-Event";
/** The attempt number, 1 for the first. */
export const ATTEMPT_HEADER = "Liqdesk-Attempt";
/** How far a signature's timestamp may be from the receiver's clock, by default: five minutes. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** A new webhook secret: "whsec_" and 32 random bytes, base64url. The HMAC key is this whole string (UTF-8). */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64url")}`;
}

function hmac(secret: string, timestamp: number, body: string | Uint8Array): Buffer {
  return createHmac("sha256", secret).update(`${timestamp}.`).update(body).digest();
}

/** The `Liqdesk-Signature` value for `body` sent at `nowMs`. */
export function signatureHeader(secret: string, body: string | Uint8Array, nowMs = Date.now()): string {
  const t = Math.floor(nowMs / 1000);
  return `t=${t},v1=${hmac(secret, t, body).toString("hex")}`;
}

export type SignatureCheck =
  | { readonly ok: true; readonly timestamp: number }
  | { readonly ok: false; readonly reason: "missing" | "malformed" | "expired" | "mismatch"; readonly message: string };

/**
 * Checks a delivery as a receiver must: the header parses, its timestamp is within
 * `toleranceSeconds` of `nowMs` (either way), and one of its `v1` signatures equals the HMAC of
 * `"<t>.<raw body>"`, compared in constant time. `body` must be the raw bytes received, before any
 * JSON parsing. Dropping a delivery id already seen is the receiver's part (docs/WEBHOOKS.md).
 */
export function verifyWebhookSignature(opts: {
  secret: string;
  header: string | null | undefined;
  body: string | Uint8Array;
  nowMs?: number;
  toleranceSeconds?: number;
}): SignatureCheck {
  const { secret, header, body } = opts;
  if (!header) return { ok: false, reason: "missing", message: `no ${SIGNATURE_HEADER} header` };
  let timestamp: number | null = null;
  const signatures: Buffer[] = [];
  for (const part of header.split(",")) {
    const at = part.indexOf("=");
    if (at < 0) continue;
    const key = part.slice(0, at).trim();
    const value = part.slice(at + 1).trim();
    if (key === "t" && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    else if (key === "v1" && /^[0-9a-f]{64}$/i.test(value)) signatures.push(Buffer.from(value, "hex"));
  }
  if (timestamp === null || signatures.length === 0) {
    return { ok: false, reason: "malformed", message: `${SIGNATURE_HEADER} must read t=<unix seconds>,v1=<64 hex digits>` };
  }
  const tolerance = opts.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const now = Math.floor((opts.nowMs ?? Date.now()) / 1000);
  if (Math.abs(now - timestamp) > tolerance) {
    return { ok: false, reason: "expired", message: `signed at ${timestamp}, ${Math.abs(now - timestamp)} s from now (at most ${tolerance} s): a replay, or a clock off` };
  }
  const expected = hmac(secret, timestamp, body);
  // Every candidate is compared (no early exit), each in constant time.
  let match = false;
  for (const s of signatures) if (timingSafeEqual(s, expected)) match = true;
  return match ? { ok: true, timestamp } : { ok: false, reason: "mismatch", message: "the signature does not match the body (wrong secret, or the body was changed)" };
}
