import "server-only";
import http from "node:http";
import https from "node:https";
import { ATTEMPT_HEADER, DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, signatureHeader } from "./signature";
import type { AttemptResult, ClaimedDelivery } from "./delivery-store";

/** How much of a refusing receiver's answer is read, and how much of it the delivery log keeps. */
const ERROR_BODY_BYTES = 4096;
const ERROR_BODY_CHARS = 300;

/**
 * Kept-alive connections, one pool per scheme: a storm's thousands of deliveries to one receiver
 * reuse a few sockets. An idle socket is closed after 4 s, before a Node receiver's default 5 s
 * keep-alive would close it under a request.
 */
const agents = {
  "http:": new http.Agent({ keepAlive: true, timeout: 4000, maxFreeSockets: 16 }),
  "https:": new https.Agent({ keepAlive: true, timeout: 4000, maxFreeSockets: 16 }),
};

/** Why a request failed, in words: the connection's error and its code. */
export function describeFailure(error: unknown): string {
  const e = error as { code?: string; message?: string } | null;
  const message = e?.message ?? String(error);
  return (e?.code && !message.includes(e.code) ? `${message} (${e.code})` : message).slice(0, 500);
}

/**
 * One attempt: POSTs the delivery's body, signed now, and reads the answer, all within
 * `timeoutMs`. 2xx is delivered; any other status (redirects are not followed), a timeout or a
 * connection error is a failure, with the status and the start of the answer kept for the log.
 * `node:http` rather than `fetch`: a quarter of the CPU per delivery (docs/PERFORMANCE.md, "Alert storm").
 */
export function attemptDelivery(d: ClaimedDelivery, timeoutMs: number): Promise<AttemptResult> {
  const at = Date.now();
  const t0 = performance.now();
  const failed = (error: string): Promise<AttemptResult> =>
    Promise.resolve({ delivery: d, ok: false, status: null, error, durationMs: performance.now() - t0, at });
  let url: URL;
  try {
    url = new URL(d.url);
  } catch {
    return failed("not a URL");
  }
  const agent = url.protocol === "https:" ? agents["https:"] : url.protocol === "http:" ? agents["http:"] : null;
  if (!agent) return failed(`not an http(s) URL (${url.protocol})`);
  return new Promise<AttemptResult>((resolve) => {
    let settled = false;
    const finish = (ok: boolean, status: number | null, error: string | null, atLeastMs = 0) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ delivery: d, ok, status, error, durationMs: Math.max(atLeastMs, performance.now() - t0), at });
    };
    const timer = setTimeout(() => {
      // A timed-out attempt lasted the whole timeout: the timer runs on the event loop's clock, which
      // can fire it a millisecond before performance.now() says (a log saying 299 ms for "no answer within 300 ms").
      finish(false, null, `no complete answer within ${timeoutMs} ms (timed out)`, timeoutMs);
      request.destroy();
    }, timeoutMs);
    const body = Buffer.from(d.body, "utf8");
    const request = (url.protocol === "https:" ? https : http).request(url, {
      method: "POST",
      agent,
      headers: {
        "content-type": "application/json",
        "content-length": body.byteLength,
        "user-agent": "Liqdesk-Webhooks/1",
        [SIGNATURE_HEADER]: signatureHeader(d.secret, body, at),
        [DELIVERY_HEADER]: d.id,
        [EVENT_HEADER]: d.type,
        [ATTEMPT_HEADER]: String(d.attempts + 1),
      },
    }, (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 200 && status < 300) {
        // Read to the end, so that the socket goes back to the pool.
        res.resume();
        res.on("end", () => finish(true, status, null));
        res.on("error", (e) => finish(false, status, `the answer broke off: ${describeFailure(e)}`));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      const refused = () => {
        const text = Buffer.concat(chunks).subarray(0, ERROR_BODY_BYTES).toString("utf8").replace(/\s+/g, " ").trim().slice(0, ERROR_BODY_CHARS);
        finish(false, status, `HTTP ${status}${status >= 300 && status < 400 ? " (redirects are not followed)" : ""}${text ? `: ${text}` : ""}`);
      };
      res.on("data", (chunk: Buffer) => {
        chunks.push(chunk);
        size += chunk.byteLength;
        if (size >= ERROR_BODY_BYTES) {
          refused();
          res.destroy();
        }
      });
      res.on("end", refused);
      res.on("error", refused);
    });
    request.on("error", (e) => finish(false, null, describeFailure(e)));
    request.end(body);
  });
}
