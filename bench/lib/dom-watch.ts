/**
 * What a page shows, timestamped in the page (bench/tick-to-dom.ts): a MutationObserver on the
 * page's body reads one figure after every batch of DOM mutations and records each change with
 * `performance.timeOrigin + performance.now()` (epoch ms on the page's clock) in the callback, that
 * is right after the DOM changed (React's commit), and the time of the next animation frame (about
 * when it is painted). The page's clock is compared with this process's once (`pageClockOffset`).
 * Also the socket frames the page receives (`account:view`, `desk:delta`), as Playwright reports
 * them, with the `serverTime` they carry.
 */
import type { Page } from "playwright-core";

/** The figure watched: an account page's margin ratio (its raw `data-value`), or a desk queue row. */
export type Watched = { kind: "ratio" } | { kind: "queue-row"; accountId: string };

export interface DomRecord {
  /** Epoch ms on the page's clock: the MutationObserver callback, and the next animation frame. */
  t: number;
  frame: number | null;
  /** `ratio`: the `data-value` of `[data-testid=account-ratio]`; `queue-row`: `absent` or `present|<mark>|<rank>`. */
  value: string;
}

declare global {
  interface Window {
    __tickToDom?: DomRecord[];
  }
}

/** Epoch ms of now on this process's clock (sub-ms, as the page's). */
export const nodeEpoch = () => performance.timeOrigin + performance.now();

/**
 * The page's side, as plain JavaScript text: a function of `Watched`. (Not a TypeScript function
 * handed to page.evaluate: tsx compiles the benchmark with esbuild's keepNames, whose `__name`
 * helper does not exist in the page.)
 */
const WATCH_SCRIPT = `(w) => {
  const now = () => performance.timeOrigin + performance.now();
  const read = () => {
    if (w.kind === "ratio") return document.querySelector('[data-testid="account-ratio"]')?.getAttribute("data-value") ?? "missing";
    const row = document.querySelector('[data-testid="queue-row-' + CSS.escape(w.accountId) + '"]');
    if (!row) return "absent";
    // The expected-price cell's title is "mark <price>" at the market's tick decimals.
    const mark = row.querySelector('[title^="mark "]')?.getAttribute("title")?.slice(5).replace(/,/g, "") ?? "";
    const rank = row.querySelector('[role="cell"]')?.textContent?.trim() ?? "";
    return "present|" + mark + "|" + rank;
  };
  const records = [];
  window.__tickToDom = records;
  let last = read();
  records.push({ t: now(), frame: null, value: last });
  new MutationObserver(() => {
    const value = read();
    if (value === last) return;
    last = value;
    const record = { t: now(), frame: null, value };
    records.push(record);
    requestAnimationFrame(() => { record.frame = now(); });
  }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ["data-value", "title"] });
}`;

/** Starts recording the watched figure's changes in the page (the current value first). */
export async function watchDom(page: Page, watched: Watched): Promise<void> {
  await page.evaluate(`(${WATCH_SCRIPT})(${JSON.stringify(watched)})`);
}

export async function domRecords(page: Page): Promise<DomRecord[]> {
  return page.evaluate(() => window.__tickToDom ?? []);
}

/**
 * The page's clock minus this process's, ms: the best of `samples` round trips (the page's reading
 * taken to be at the middle of the shortest one; `uncertaintyMs` is half of it).
 */
export async function pageClockOffset(page: Page, samples = 15): Promise<{ offsetMs: number; uncertaintyMs: number }> {
  let best = { offsetMs: 0, uncertaintyMs: Infinity };
  for (let i = 0; i < samples; i++) {
    const t0 = nodeEpoch();
    const p = await page.evaluate(() => performance.timeOrigin + performance.now());
    const t1 = nodeEpoch();
    if ((t1 - t0) / 2 < best.uncertaintyMs) best = { offsetMs: p - (t0 + t1) / 2, uncertaintyMs: (t1 - t0) / 2 };
  }
  return best;
}

export interface SocketFrame<T> {
  /** When this process heard of it (Playwright's event), epoch ms. */
  at: number;
  /** What `pick` kept of the event's payload. */
  data: T;
}

/**
 * Records what `pick` keeps of each socket.io event named `event` that the page receives (JSON text
 * frames `42["event", payload]`); a frame it returns null for is left out. Only the kept part stays
 * in memory (a desk delta of a large book is tens of KB).
 */
export function recordFrames<T>(page: Page, event: string, pick: (payload: unknown) => T | null): SocketFrame<T>[] {
  const frames: SocketFrame<T>[] = [];
  const prefix = `42[${JSON.stringify(event)},`;
  page.on("websocket", (ws) => {
    ws.on("framereceived", (f) => {
      if (typeof f.payload !== "string" || !f.payload.startsWith(prefix)) return;
      const at = nodeEpoch();
      const [, payload] = JSON.parse(f.payload.slice(2)) as [string, unknown];
      const data = pick(payload);
      if (data !== null) frames.push({ at, data });
    });
  });
  return frames;
}
