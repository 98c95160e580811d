/**
 * `npm run screenshots [-- --url http://localhost:3000]`: the README's pictures, taken from a
 * running Liqdesk (`npm start`, demo users on) in Debian's headless Chromium: the whole risk desk
 * (docs/screenshots/desk.png) and a trader's own page (docs/screenshots/trader.png), each signed in
 * through the sign-in page as the demo users. It waits until the liquidation queue and the feed
 * have something in them (a few minutes of simulated prices after a first start).
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
  console.log(`screenshots: ${path.join(values.out, "desk.png")}, ${path.join(values.out, "trader.png")}`);
} finally {
  await browser.close();
}
