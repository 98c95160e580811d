// A local HTTP receiver for webhook deliveries (127.0.0.1, a free port; no outside network): it
// keeps every request (headers, raw body, arrival time) and answers each with the next status of a
// script (the last one repeats), e.g. [500, 500, 200]: fail twice, then succeed.
//
//   const rx = await startWebhookReceiver([503, 503, 200]);
//   … rx.url …; await rx.waitFor(3); rx.requests; await rx.close();
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedRequest {
  readonly headers: IncomingHttpHeaders;
  /** The raw body, exactly as sent. */
  readonly body: Buffer;
  readonly path: string;
  /** performance.now() when the request's body had arrived. */
  readonly at: number;
  readonly status: number;
}

export interface WebhookReceiver {
  readonly url: string;
  readonly requests: ReceivedRequest[];
  /** The statuses still to answer with (the last repeats); replace it to change the receiver's mind. */
  script: number[];
  /** Resolves once `n` requests have arrived (rejects after `timeoutMs`). */
  waitFor(n: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startWebhookReceiver(script: number[] = [200], opts: { delayMs?: number } = {}): Promise<WebhookReceiver> {
  const requests: ReceivedRequest[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  const receiver = { script: [...script] } as WebhookReceiver & { script: number[] };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const status = receiver.script.length > 1 ? receiver.script.shift()! : (receiver.script[0] ?? 200);
      requests.push({ headers: req.headers, body: Buffer.concat(chunks), path: req.url ?? "/", at: performance.now(), status });
      for (const w of waiters.filter((w) => requests.length >= w.n)) w.resolve();
      const answer = () => res.writeHead(status, { "content-type": "text/plain" }).end(status < 300 ? "ok" : `refused with ${status}`);
      if (opts.delayMs) setTimeout(answer, opts.delayMs);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(receiver, {
    url: `http://127.0.0.1:${port}/hook`,
    requests,
    waitFor(n: number, timeoutMs = 30_000) {
      if (requests.length >= n) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`waited ${timeoutMs} ms for ${n} webhook requests, got ${requests.length}`)), timeoutMs);
        waiters.push({ n, resolve: () => { clearTimeout(timer); resolve(); } });
      });
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}

/** A URL on 127.0.0.1 where nothing listens: every request to it is refused (ECONNREFUSED). */
export async function deadUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/hook`;
}
