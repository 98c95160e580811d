import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { launchBrowser, screenshotPath } from "../support/browser";
import { IngestClient } from "../support/ingest-client";
import { runScript, startAppServer, stopAndRemove, type AppServer } from "../support/app-server";
import { createUser, signInBrowser, signInDesk } from "../support/sign-in";

const ENV = { LIQDESK_SIMULATOR: "off", LIQDESK_EXECUTION: "off", LIQDESK_STALE_AFTER_MS: "600000" };
const ACCOUNT = "e2e-trader-a";
const TRADER = "trader-a@e2e.test";

describe("a trader tops up a liquidatable account while the desk watches", () => {
  let server: AppServer;
  let browser: Browser;
  let password: string;
  let ingest: IngestClient;

  beforeAll(async () => {
    server = await startAppServer({ env: ENV });
    ingest = new IngestClient(server.url, runScript(server, "token", ["create", "e2e-topup"]).trim());
    browser = await launchBrowser();
    await ingest.mark("BTC-PERP", 62000);
    // The spec's "large-long": 12 BTC from 61,200 with 20,000 collateral; liquidation price 60,025.25.
    await ingest.post("collateral", { entries: [{ accountId: ACCOUNT, amount: "20000", kind: "deposit", idempotencyKey: `${ACCOUNT}-dep` }] });
    await ingest.post("positions", { source: "e2e-venue", updates: [{ accountId: ACCOUNT, marketId: "BTC-PERP", qty: 12, entryPrice: 61200, seq: 1 }] });
    await ingest.mark("BTC-PERP", 60000);
    password = createUser(server, TRADER, "trader", [ACCOUNT]);
  });
  afterAll(async () => {
    await browser?.close();
    await stopAndRemove(server);
  });

  it("trader A signs in, tops up from the form; the desk's queue row disappears within 2 s and the audit log shows the top-up", async () => {
    const deskContext = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    await signInBrowser(deskContext, server, await signInDesk(server));
    const desk = await deskContext.newPage();
    await desk.goto(`${server.url}/desk`);
    await desk.waitForSelector(`[data-testid="queue-row-${ACCOUNT}"]`, { timeout: 20_000 });

    const traderContext = await browser.newContext({ viewport: { width: 1440, height: 1100 } });
    const trader = await traderContext.newPage();
    await trader.goto(`${server.url}/account`);
    expect(new URL(trader.url()).pathname).toBe("/sign-in");
    await trader.getByTestId("sign-in-email").fill(TRADER);
    await trader.getByTestId("sign-in-password").fill("not-the-password");
    await trader.getByTestId("sign-in-submit").click();
    await expect.poll(async () => trader.getByTestId("sign-in-error").textContent()).toMatch(/Wrong email or password/);
    await trader.screenshot({ path: screenshotPath("sign-in-error") });
    await trader.getByTestId("sign-in-password").fill(password);
    await trader.getByTestId("sign-in-submit").click();
    await trader.waitForURL(`${server.url}/account`);
    await trader.getByTestId("account-queue").waitFor();
    expect(await trader.getByTestId("account-id").textContent()).toBe(ACCOUNT);
    expect(await trader.getByTestId("margin-gauge").getAttribute("data-value")).not.toBe("null");
    expect(await trader.getByTestId("position-BTC-PERP").getByTestId("liquidation-price").textContent()).toMatch(/60,025\.\d/);

    // The preset fills the least amount that leaves the queue; the server's preview says so.
    await trader.getByTestId("topup-preset-queue").click();
    await expect.poll(async () => trader.getByTestId("topup-after").textContent(), { timeout: 5000 }).toMatch(/out of the queue/);
    await trader.screenshot({ path: screenshotPath("account-topup-preview"), fullPage: true });

    const submitted = Date.now();
    await trader.getByTestId("topup-submit").click();
    await desk.waitForSelector(`[data-testid="queue-row-${ACCOUNT}"]`, { state: "detached", timeout: 2000 });
    const gone = Date.now() - submitted;
    expect(gone).toBeLessThanOrEqual(2000);
    await trader.getByTestId("topup-done").waitFor();
    await trader.getByTestId("account-not-queued").waitFor({ timeout: 2000 });
    await trader.screenshot({ path: screenshotPath("account-after-topup"), fullPage: true });

    await desk.getByTestId("audit-link").click();
    await desk.waitForURL(`${server.url}/desk/audit`);
    const row = desk.locator(`[data-action="topup.create"][data-account="${ACCOUNT}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain(TRADER);
    await desk.screenshot({ path: screenshotPath("desk-audit"), fullPage: true });
    await deskContext.close();
    await traderContext.close();
  });

  it("the desk's top-up box: 'now' is always the live figures above it; the server's 'after' is marked 'updating…' while older than them, then agrees", async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 1100 } });
    await signInBrowser(context, server, await signInDesk(server));
    const page = await context.newPage();
    let hold = false;
    const held: (() => void)[] = [];
    await page.route("**/topups/preview", async (route) => {
      if (hold) await new Promise<void>((resolve) => held.push(resolve));
      await route.continue();
    });
    await page.goto(`${server.url}/desk/accounts/${ACCOUNT}`);
    await page.waitForSelector('[data-testid="connection-status"][data-status="live"]');
    const preview = page.getByTestId("topup-preview");
    const after = page.getByTestId("topup-after");
    const liveRatio = () => page.getByTestId("account-ratio").getAttribute("data-value");
    const nowRatio = () => page.getByTestId("topup-now").locator("[data-value]").first().getAttribute("data-value");
    await page.getByTestId("topup-amount").fill("100");
    await expect.poll(async () => [await preview.getAttribute("data-behind"), await preview.getAttribute("data-agrees"), await after.textContent()])
      .toEqual(["false", "true", expect.stringMatching(/^After \+100\.00 USD[^…]*queue$/)]);
    expect(await nowRatio()).toBe(await liveRatio());

    // The server's preview is held up while the price moves: the figures above move on, and "now" with them; the older "after" must not pass for current.
    hold = true;
    await page.waitForTimeout(1500); // the last preview answered is now more than a second old
    const before = await liveRatio();
    await ingest.mark("BTC-PERP", 59800);
    await expect.poll(liveRatio).not.toBe(before);
    await expect.poll(() => preview.getAttribute("data-behind")).toBe("true");
    expect(await after.textContent()).toContain("updating…");
    expect(await nowRatio()).toBe(await liveRatio());
    const presets = await page.locator("[data-testid^=topup-preset-]").all();
    expect(presets.length).toBeGreaterThan(0); // the presets are the live view's: on screen and usable
    for (const preset of presets) expect(await preset.isDisabled()).toBe(false);
    await page.screenshot({ path: screenshotPath("desk-account-topup-updating"), fullPage: true });

    hold = false;
    for (const release of held.splice(0)) release();
    await expect.poll(async () => [await preview.getAttribute("data-behind"), await preview.getAttribute("data-agrees"), await after.textContent()])
      .toEqual(["false", "true", expect.stringMatching(/^After \+100\.00 USD[^…]*queue$/)]);
    expect(await nowRatio()).toBe(await liveRatio());
    await page.getByTestId("topup-preset-queue").click();
    await expect.poll(() => after.textContent()).toMatch(/out of the queue/);
    await context.close();
  });
});
