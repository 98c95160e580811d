import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { seedMarkets } from "@/lib/sim/seed-markets";
import { newDeskPage } from "../support/sign-in";
import { launchBrowser, screenshotPath, waitForDrawnLine } from "../support/browser";
import { startAppServer, stopAndRemove, type AppServer } from "../support/app-server";

describe("the desk in a real browser", () => {
  let server: AppServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startAppServer({ env: { LIQDESK_SIMULATOR: "on", LIQDESK_SIM_TICK_MS: "250" } });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    expect(await stopAndRemove(server)).toBe(0);
  });

  it("/ leads to /desk, where every market's chart shows a price that changes within 5 s", async () => {
    const page = await newDeskPage(browser, server, { viewport: { width: 1440, height: 900 } });
    await page.goto(`${server.url}/`);
    expect(new URL(page.url()).pathname).toBe("/desk");
    for (const m of seedMarkets) await page.getByTestId(`market-${m.id}`).getByTestId("mark").waitFor();

    const readMarks = (): Promise<Record<string, string>> => page.$$eval("[data-testid^=market-]", (cards) =>
      Object.fromEntries(cards.map((c) => [c.getAttribute("data-testid") ?? "", c.querySelector("[data-testid=mark]")?.textContent ?? ""])));
    const first = await readMarks();
    const changed = new Set<string>();
    await expect.poll(async () => {
      for (const [id, text] of Object.entries(await readMarks())) if (text !== first[id] && /\d/.test(text)) changed.add(id);
      return [...changed].sort();
    }, { timeout: 5000, interval: 200 }).toEqual(seedMarkets.map((m) => `market-${m.id}`).sort());

    // Each card has a drawn line and an age that is not stale.
    for (const m of seedMarkets) {
      const card = page.getByTestId(`market-${m.id}`);
      await waitForDrawnLine(card.getByTestId("mark-line"));
      expect(await card.locator(".age").textContent()).toMatch(/^\d+(\.\d)? s ago$/);
    }
    await page.screenshot({ path: screenshotPath("desk-mark-prices"), fullPage: true });
  });
});
