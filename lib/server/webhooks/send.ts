import "server-only";
import { ATTEMPT_HEADER, DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, signatureHeader } from "./signature";
import type { AttemptResult, ClaimedDelivery } from "./delivery-store";

/** How much of a refusing receiver's answer the delivery log keeps. */
const ERROR_BODY_CHARS = 300;

/** The first `max` bytes of an answer as text (the rest is not read). */
async function readStart(res: Response, max: number): Promise<string> {
  if (!res.body) return "";
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < max) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } catch {
    // the answer broke off: keep what came
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).subarray(0, max).toString("utf8");
}

/** Why a request failed, in words: the connection's error code, a timeout, or the message. */
export function describeFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) return `no answer within ${timeoutMs} ms (timed out)`;
  const cause = (error as { cause?: { code?: string; message?: string } } | null)?.cause;
  if (cause?.code) return `${cause.message ?? "connection failed"} (${cause.code})`.slice(0, 500);
  return (error instanceof Error ? error.message : String(error)).slice(0, 500);
}

/**
 * One attempt: POSTs the delivery's body, signed now, within `timeoutMs` (answer included).
 * 2xx is delivered; any other status (redirects are not followed), a timeout or a connection error
 * is a failure, with the status and the start of the answer kept for the log.
 */
export async function attemptDelivery(d: ClaimedDelivery, timeoutMs: number): Promise<AttemptResult> {
  const at = Date.now();
  const t0 = performance.now();
  try {
    const res = await fetch(d.url, {
      method: "POST",
      body: d.body,
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
      headers: {
        "content-type": "application/json",
        "user-agent": "Liqdesk-Webhooks/1",
        [SIGNATURE_HEADER]: signatureHeader(d.secret, d.body, at),
        [DELIVERY_HEADER]: d.id,
        [EVENT_HEADER]: d.type,
        [ATTEMPT_HEADER]: String(d.attempts + 1),
      },
    });
    const ok = res.status >= 200 && res.status < 300;
    let error: string | null = null;
    if (ok) {
      await res.body?.cancel().catch(() => undefined);
    } else {
      const text = await readStart(res, 4096);
      const snippet = text.replace(/\s+/g, " ").trim().slice(0, ERROR_BODY_CHARS);
      error = `HTTP ${res.status}${res.status >= 300 && res.status < 400 ? " (redirects are not followed)" : ""}${snippet ? `: ${snippet}` : ""}`;
    }
    return { delivery: d, ok, status: res.status, error, durationMs: performance.now() - t0, at };
  } catch (e) {
    return { delivery: d, ok: false, status: null, error: describeFailure(e, timeoutMs), durationMs: performance.now() - t0, at };
  }
}
