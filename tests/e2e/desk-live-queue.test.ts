import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { launchBrowser, screenshotPath } from "../support/browser";
import { IngestClient } from "../support/ingest-client";
import { removeDataDir, runScript, startAppServer, type AppServer } from "../support/app-server";

const ENV = { LIQDESK_SIMULATOR: "off", LIQDESK_EXECUTION: "off", LIQDESK_STALE_AFTER_MS: "600000" };

/** Milliseconds until `selector` is attached (or detached) on the page. */
async function timeUntil(page: Page, selector: string, state: "attached" | "detached", timeoutMs: number): Promise<number> {
  const started = Date.now();
  await page.waitForSelector(selector, { state, timeout: timeoutMs });
  return Date.now() - started;
}

describe("the desk's liquidation queue, live", () => {
  let server: AppServer;
  let browser: Browser;
  let ingest: IngestClient;

  beforeAll(async () => {
    server = await startAppServer({ env: ENV });
    ingest = new IngestClient(server.url, runScript(server, "token", ["create", "e2e-desk"]).trim());
    browser = await launchBrowser();
    await ingest.mark("BTC-PERP", 60000);
    // 12 BTC long from 61,200 with 20,000 collateral (the spec's "large-long"): liquidation price 60,025.25,
    // so healthy at 62,000 and liquidatable at 60,000.
    await ingest.post("collateral", { entries: [{ accountId: "e2e-whale", amount: "20000", kind: "deposit", idempotencyKey: "e2e-whale-dep" }] });
    await ingest.mark("BTC-PERP", 62000);
    await ingest.post("positions", { source: "e2e-venue", updates: [{ accountId: "e2e-whale", marketId: "BTC-PERP", qty: 12, entryPrice: 61200, seq: 1 }] });
  });
  afterAll(async () => {
    await browser?.close();
    if (server) {
      await server.stop();
      removeDataDir(server.dataDir);
    }
  });

  it("a price tick that makes an account liquidatable puts its row in the queue within 2 s; a collateral entry that heals it takes the row out", async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    await page.goto(`${server.url}/desk`);
    await page.getByTestId("queue-table").waitFor();
    expect(await page.getByTestId("queue-row-e2e-whale").count()).toBe(0);

    await ingest.mark("BTC-PERP", 60000);
    const appeared = await timeUntil(page, '[data-testid="queue-row-e2e-whale"]', "attached", 2000);
    expect(appeared).toBeLessThanOrEqual(2000);
    await page.screenshot({ path: screenshotPath("desk-queue-row"), fullPage: false });

    await ingest.post("collateral", { entries: [{ accountId: "e2e-whale", amount: "5000", kind: "deposit", idempotencyKey: "e2e-whale-heal" }] });
    const left = await timeUntil(page, '[data-testid="queue-row-e2e-whale"]', "detached", 2000);
    expect(left).toBeLessThanOrEqual(2000);
    await page.close();
  });

  it("a page that loses its server and reconnects resyncs and shows current data", async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    await page.goto(`${server.url}/desk`);
    await page.getByTestId("queue-table").waitFor();
    expect(await page.getByTestId("queue-row-e2e-whale").count()).toBe(0);

    const { port, pgPort, dataDir } = server;
    expect(await server.stop()).toBe(0);
    server = await startAppServer({ env: ENV, dataDir, port, pgPort });
    ingest = new IngestClient(server.url, runScript(server, "token", ["create", "e2e-desk-2"]).trim());
    await ingest.mark("BTC-PERP", 59000); // while the page is still reconnecting: only a fresh snapshot carries it

    await page.waitForSelector('[data-testid="queue-row-e2e-whale"]', { timeout: 20_000 });
    await page.close();
  });
});
