import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { launchBrowser, screenshotPath } from "../support/browser";
import { IngestClient } from "../support/ingest-client";
import { runScript, startAppServer, stopAndRemove, type AppServer } from "../support/app-server";
import { createUser, signIn, signInBrowser, signInDesk } from "../support/sign-in";

const ENV = { LIQDESK_SIMULATOR: "off", LIQDESK_EXECUTION: "off", LIQDESK_STALE_AFTER_MS: "600000" };
const ACCOUNT = "e2e-isolated";
const TRADER = "trader-iso@e2e.test";

/** Reads "59,939.8" as a number. */
const price = (text: string | null) => Number((text ?? "").replace(/[^0-9.]/g, ""));

/**
 * Spec §11 on screen: a trader holding an isolated BTC long (0.5 BTC from 60,000 with 150 USD of
 * margin, queued at 59,900) adds margin to it from the top-up form and sees its liquidation price
 * move away from the mark; the desk's queue showed the isolated position as its own row.
 */
describe("a trader adds margin to an isolated position", () => {
  let server: AppServer;
  let browser: Browser;
  let password: string;
  let ingest: IngestClient;

  beforeAll(async () => {
    server = await startAppServer({ env: ENV });
    ingest = new IngestClient(server.url, runScript(server, "token", ["create", "e2e-isolated"]).trim());
    browser = await launchBrowser();
    await ingest.mark("BTC-PERP", 60000);
    await ingest.mark("ETH-PERP", 3000);
    await ingest.post("collateral", { entries: [{ accountId: ACCOUNT, amount: "5000", kind: "deposit", idempotencyKey: `${ACCOUNT}-dep` }] });
    await ingest.post("positions", { source: "e2e-venue", updates: [
      { accountId: ACCOUNT, marketId: "BTC-PERP", qty: 0.5, entryPrice: 60000, seq: 1, marginMode: "isolated", isolatedMargin: "150" },
      { accountId: ACCOUNT, marketId: "ETH-PERP", qty: -2, entryPrice: 3000, seq: 1 },
    ] });
    await ingest.mark("BTC-PERP", 59900);
    password = createUser(server, TRADER, "trader", [ACCOUNT]);
  });
  afterAll(async () => {
    await browser?.close();
    await stopAndRemove(server);
  });

  it("the desk sees the isolated position's own queue row; the trader adds margin and its liquidation price moves away", async () => {
    const deskContext = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    await signInBrowser(deskContext, server, await signInDesk(server));
    const desk = await deskContext.newPage();
    await desk.goto(`${server.url}/desk`);
    const row = desk.getByTestId(`queue-row-${ACCOUNT}-isolated-BTC-PERP`);
    await row.waitFor({ timeout: 20_000 });
    expect(await row.getByTestId("queue-unit").textContent()).toBe("ISOLATED");
    expect(await row.getAttribute("aria-label")).toContain("isolated BTC-PERP position");
    expect(await desk.getByTestId(`queue-row-${ACCOUNT}`).count()).toBe(0); // the cross part is healthy
    await desk.screenshot({ path: screenshotPath("desk-queue-isolated") });

    const traderContext = await browser.newContext({ viewport: { width: 1440, height: 1100 } });
    await signInBrowser(traderContext, server, await signIn(server.url, TRADER, password));
    const trader = await traderContext.newPage();
    await trader.goto(`${server.url}/account`);
    const btc = trader.getByTestId("position-BTC-PERP");
    await btc.waitFor();
    expect(await trader.getByTestId("margin-mode-BTC-PERP").getAttribute("data-mode")).toBe("isolated");
    expect(await trader.getByTestId("margin-mode-ETH-PERP").getAttribute("data-mode")).toBe("cross");
    expect(await btc.getByTestId("isolated-margin").textContent()).toMatch(/150\.00/);
    const liqBefore = price(await btc.getByTestId("liquidation-price").textContent());
    // (150 − 0.5 · 60000) / (0.5 · 0.004 − 0.5) = 59,939.76: above the mark of 59,900 (past the line).
    expect(liqBefore).toBeCloseTo(59939.8, 1);

    await trader.getByTestId("topup-target").selectOption("BTC-PERP");
    await trader.getByTestId("topup-amount").fill("250");
    await expect.poll(async () => trader.getByTestId("topup-after").textContent(), { timeout: 5000 }).toMatch(/out of the queue/);
    const liqRow = trader.getByTestId("topup-liq-BTC-PERP");
    await expect.poll(async () => liqRow.textContent()).toMatch(/→/);
    expect(await trader.getByTestId("topup-liq-ETH-PERP").count()).toBe(0); // only the chosen position
    expect(await trader.getByTestId("topup-cross").textContent()).toMatch(/5,000\.00 → 4,750\.00/);
    await trader.screenshot({ path: screenshotPath("account-add-margin-preview"), fullPage: true });

    await trader.getByTestId("topup-submit").click();
    await trader.getByTestId("topup-done").waitFor();
    expect(await trader.getByTestId("topup-done").textContent()).toMatch(/250\.00 USD of margin to the isolated BTC-PERP position · its margin 400\.00 USD/);
    await expect.poll(async () => btc.getByTestId("isolated-margin").textContent(), { timeout: 3000 }).toMatch(/400\.00/);
    const liqAfter = price(await btc.getByTestId("liquidation-price").textContent());
    // (400 − 30000) / (0.002 − 0.5) = 59,437.75: further below the mark of 59,900 than before.
    expect(liqAfter).toBeCloseTo(59437.8, 1);
    expect(Math.abs(59900 - liqAfter)).toBeGreaterThan(Math.abs(59900 - liqBefore));
    await row.waitFor({ state: "detached", timeout: 3000 });
    await trader.screenshot({ path: screenshotPath("account-after-add-margin"), fullPage: true });

    const phone = await traderContext.newPage();
    await phone.setViewportSize({ width: 390, height: 844 });
    await phone.goto(`${server.url}/account`);
    await phone.getByTestId("position-BTC-PERP").waitFor();
    await phone.screenshot({ path: screenshotPath("account-isolated-390"), fullPage: true });
    await deskContext.close();
    await traderContext.close();
  });
});
