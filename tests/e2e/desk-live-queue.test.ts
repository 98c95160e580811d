import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page, WebSocketRoute } from "playwright-core";
import { formatPrice } from "@/lib/format/price";
import { newDeskPage, signInDesk } from "../support/sign-in";
import { launchBrowser, screenshotPath } from "../support/browser";
import { IngestClient } from "../support/ingest-client";
import { runScript, startAppServer, stopAndRemove, type AppServer } from "../support/app-server";

const ENV = { LIQDESK_SIMULATOR: "off", LIQDESK_EXECUTION: "off", LIQDESK_STALE_AFTER_MS: "600000" };
const ROW = '[data-testid="queue-row-e2e-whale"]';

/** Milliseconds from `since` until `selector` is attached (or detached) on the page; fails after `limitMs` from `since`. */
async function msUntil(page: Page, selector: string, state: "attached" | "detached", since: number, limitMs: number): Promise<number> {
  await page.waitForSelector(selector, { state, timeout: Math.max(1, since + limitMs - Date.now()) });
  return Date.now() - since;
}

/** Until the page's socket is in `status` (live, connecting, down). */
async function socketStatus(page: Page, status: string, timeout = 20_000): Promise<void> {
  await page.waitForSelector(`[data-testid="connection-status"][data-status="${status}"]`, { timeout });
}

/** The account's status as the server has it now. */
async function serverStatus(server: AppServer, accountId: string): Promise<string> {
  const res = await (await signInDesk(server)).fetch(`/api/v1/accounts/${accountId}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { view: { status: string } }).view.status;
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
    await stopAndRemove(server);
  });

  it("a price tick that makes an account liquidatable puts its row in the queue within 2 s; a collateral entry that heals it takes the row out", async () => {
    const page = await newDeskPage(browser, server, { viewport: { width: 1440, height: 1000 } });
    await page.goto(`${server.url}/desk`);
    await page.getByTestId("queue-table").waitFor();
    await socketStatus(page, "live"); // from here on only a pushed delta can bring the row
    expect(await page.locator(ROW).count()).toBe(0);

    const ticked = Date.now();
    await ingest.mark("BTC-PERP", 60000);
    expect(await msUntil(page, ROW, "attached", ticked, 2000)).toBeLessThanOrEqual(2000);
    const status = await serverStatus(server, "e2e-whale");
    expect(status).toBe("liquidatable");
    expect(await page.locator(ROW).getByRole("cell").nth(2).textContent()).toBe(status);
    await page.screenshot({ path: screenshotPath("desk-queue-row"), fullPage: false });

    const healed = Date.now();
    await ingest.post("collateral", { entries: [{ accountId: "e2e-whale", amount: "5000", kind: "deposit", idempotencyKey: "e2e-whale-heal" }] });
    expect(await msUntil(page, ROW, "detached", healed, 2000)).toBeLessThanOrEqual(2000);
    // The row left because the account healed, not because the queue went away.
    expect(await serverStatus(server, "e2e-whale")).not.toMatch(/liquidatable|backstop|bankrupt/);
    await page.getByTestId("queue-table").waitFor();
    expect(await page.getByTestId("connection-status").getAttribute("data-status")).toBe("live");
    await page.close();
  });

  it("a page whose server crashes and restarts resyncs and shows current data", async () => {
    await ingest.mark("BTC-PERP", 62000); // healthy, whatever the test before left
    const page = await newDeskPage(browser, server, { viewport: { width: 1440, height: 1000 } });
    let blocked = false;
    await page.routeWebSocket(/\/socket\.io\//, (ws) => (blocked ? ws.close() : ws.connectToServer()));
    await page.goto(`${server.url}/desk`);
    await page.getByTestId("queue-table").waitFor();
    await socketStatus(page, "live");
    expect(await page.locator(ROW).count()).toBe(0);
    await page.evaluate(() => Object.assign(window, { e2eSamePage: true }));

    // The page may not reconnect until the new server holds the new price: what it missed reaches it only through a
    // fresh snapshot on reconnect, never as a delta. (Routed before the page loads: socket.io keeps the WebSocket it found.)
    blocked = true;
    const { port, dataDir } = server;
    await server.kill();
    await socketStatus(page, "down");
    server = await startAppServer({ env: ENV, dataDir, port });
    ingest = new IngestClient(server.url, runScript(server, "token", ["create", "e2e-desk-2"]).trim());
    await ingest.mark("BTC-PERP", 59000);
    const status = await serverStatus(server, "e2e-whale");
    expect(status).toMatch(/liquidatable|backstop|bankrupt/);
    expect(await page.locator(ROW).count()).toBe(0);
    expect(await page.getByTestId("connection-status").getAttribute("data-status")).toBe("down");

    blocked = false; // the page's next attempt (at most 5 s apart) reaches the server
    await socketStatus(page, "live");
    await page.waitForSelector(ROW, { timeout: 10_000 });
    expect(await page.locator(ROW).getByRole("cell").nth(2).textContent()).toBe(status);
    await expect.poll(() => page.getByTestId("market-BTC-PERP").getByTestId("mark").textContent()).toBe(`${formatPrice(59000, 0.1)} USD`);
    expect(await page.evaluate(() => "e2eSamePage" in window)).toBe(true); // resynced in place, not reloaded
    await page.close();
  });

  it("a page whose reconnection the server refuses tries again, resyncs and shows current data", async () => {
    await ingest.mark("BTC-PERP", 59000); // e2e-whale in the queue, whatever the tests before left
    const page = await newDeskPage(browser, server, { viewport: { width: 1440, height: 1000 } });
    let refuse = 0;
    let current: WebSocketRoute | null = null;
    await page.routeWebSocket(/\/socket\.io\//, (ws) => {
      current = ws;
      if (refuse === 0) {
        ws.connectToServer();
        return;
      }
      refuse -= 1;
      // Play the server's part: open the engine.io session, then refuse the socket.io CONNECT as
      // the server's handshake check does when it fails (socket.io's client does not retry that).
      ws.send(`0${JSON.stringify({ sid: `refused-${refuse}`, upgrades: [], pingInterval: 25_000, pingTimeout: 20_000, maxPayload: 1_000_000 })}`);
      ws.onMessage((message) => {
        if (typeof message === "string" && message.startsWith("40")) {
          ws.send(`44${JSON.stringify({ message: "the session could not be read", data: { status: 503, code: "unavailable" } })}`);
        }
      });
    });
    await page.goto(`${server.url}/desk`);
    await socketStatus(page, "live");
    await page.waitForSelector(ROW, { timeout: 10_000 });
    await page.evaluate(() => Object.assign(window, { e2eSamePage: true }));

    refuse = 1;
    await (current as WebSocketRoute | null)?.close(); // the connection drops; the next one is refused
    await socketStatus(page, "down");
    await ingest.mark("BTC-PERP", 62000); // heals e2e-whale while the page is not connected
    expect(await serverStatus(server, "e2e-whale")).not.toMatch(/liquidatable|backstop|bankrupt/);

    await socketStatus(page, "live", 15_000);
    expect(refuse).toBe(0); // it was refused once, then connected
    await page.waitForSelector(ROW, { state: "detached", timeout: 10_000 });
    await expect.poll(() => page.getByTestId("market-BTC-PERP").getByTestId("mark").textContent()).toBe(`${formatPrice(62000, 0.1)} USD`);
    expect(await page.evaluate(() => "e2eSamePage" in window)).toBe(true); // resynced in place, not reloaded
    await page.close();
  });
});
