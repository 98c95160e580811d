/**
 * `npm run screenshots [-- --url http://localhost:3000]`: the README's pictures, taken from a
 * running Liqdesk (`npm start`, demo users on) in Debian's headless Chromium: the whole risk desk
 * (docs/screenshots/desk.png) and a trader's own page (docs/screenshots/trader.png), each signed in
 * through the sign-in page as the demo users; and both on a phone, 390 px wide
 * (docs/screenshots/desk-390.png, docs/screenshots/trader-390.png). It waits until the
 * liquidation queue and the feed have something in them (a few minutes of simulated prices after
 * a first start).
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { chromium, type Browser, type Page } from "playwright-core";

const { values } = parseArgs({
  options: {
    url: { type: "string", default: "http://localhost:3000" },
    chromium: { type: "string", default: "/usr/bin/chromium" },
    out: { type: "string", default: "docs/screenshots" },
  },
});
const base = values.url.replace(/\/$/, "");
const PASSWORD = "liqdesk-demo";
const WAIT_MS = 300_000;

async function signedInPage(browser: Browser, email: string, viewport: { width: number; height: number }): Promise<Page> {
  const page = await (await browser.newContext({ viewport, deviceScaleFactor: 1 })).newPage();
  await page.goto(`${base}/sign-in`);
  await page.getByTestId("sign-in-email").fill(email);
  await page.getByTestId("sign-in-password").fill(PASSWORD);
  await page.getByTestId("sign-in-submit").click();
  await page.waitForURL((u) => !u.pathname.startsWith("/sign-in"));
  return page;
}

const browser = await chromium.launch({
  executablePath: values.chromium,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
});
try {
  mkdirSync(values.out, { recursive: true });

  const desk = await signedInPage(browser, "desk@liqdesk.local", { width: 1440, height: 900 });
  await desk.goto(`${base}/desk`);
  await desk.waitForSelector('[data-testid="connection-status"][data-status="live"]', { timeout: WAIT_MS });
  await desk.getByTestId("feed-table").locator("[data-testid^=event-]").first().waitFor({ timeout: WAIT_MS });
  await desk.getByTestId("ratio-histogram").locator(".recharts-bar-rectangle").first().waitFor({ timeout: WAIT_MS });
  await desk.waitForTimeout(3_000); // a few frames of live prices on the charts
  // Accounts enter the queue and leave it as the venue's steps run: take the desk with some in it.
  await desk.locator("[data-testid^=queue-row-]").first().waitFor({ timeout: WAIT_MS });
  await desk.screenshot({ path: path.join(values.out, "desk.png"), fullPage: true });

  const trader = await signedInPage(browser, "trader-b@liqdesk.local", { width: 1200, height: 900 });
  await trader.goto(`${base}/account`);
  await trader.waitForSelector('[data-testid="connection-status"][data-status="live"]', { timeout: WAIT_MS });
  await trader.getByTestId("positions-table").locator("[data-testid^=position-]").first().waitFor({ timeout: WAIT_MS });
  await trader.waitForTimeout(3_000);
  await trader.screenshot({ path: path.join(values.out, "trader.png"), fullPage: true });

  // A phone: nothing scrolls the page sideways; wide tables scroll in their own box.
  const deskPhone = await signedInPage(browser, "desk@liqdesk.local", { width: 390, height: 844 });
  await deskPhone.goto(`${base}/desk`);
  await deskPhone.waitForSelector('[data-testid="connection-status"][data-status="live"]', { timeout: WAIT_MS });
  await deskPhone.getByTestId("ratio-histogram").locator(".recharts-bar-rectangle").first().waitFor({ timeout: WAIT_MS });
  await deskPhone.waitForTimeout(3_000);
  await deskPhone.screenshot({ path: path.join(values.out, "desk-390.png"), fullPage: true });
  const traderPhone = await signedInPage(browser, "trader-b@liqdesk.local", { width: 390, height: 844 });
  await traderPhone.goto(`${base}/account`);
  await traderPhone.waitForSelector('[data-testid="connection-status"][data-status="live"]', { timeout: WAIT_MS });
  await traderPhone.getByTestId("positions-table").locator("[data-testid^=position-]").first().waitFor({ timeout: WAIT_MS });
  await traderPhone.waitForTimeout(3_000);
  await traderPhone.screenshot({ path: path.join(values.out, "trader-390.png"), fullPage: true });
  console.log(`screenshots: ${["desk.png", "trader.png", "desk-390.png", "trader-390.png"].map((f) => path.join(values.out, f)).join(", ")}`);
} finally {
  await browser.close();
}
