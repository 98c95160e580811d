import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { seedMarkets } from "@/lib/sim/seed-markets";
import { launchBrowser, screenshotPath } from "../support/browser";
import { removeDataDir, startAppServer, type AppServer } from "../support/app-server";

describe("the desk in a real browser", () => {
  let server: AppServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startAppServer({ env: { LIQDESK_SIMULATOR: "on", LIQDESK_SIM_TICK_MS: "250" } });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    const code = await server?.stop();
    if (server) removeDataDir(server.dataDir);
    expect(code).toBe(0);
  });

  it("/ leads to /desk, where every market's chart shows a price that changes within 5 s", async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(`${server.url}/`);
    expect(new URL(page.url()).pathname).toBe("/desk");
    for (const m of seedMarkets) await page.getByTestId(`market-${m.id}`).getByTestId("mark").waitFor();

    const readMarks = (): Promise<Record<string, string>> => page.$$eval("[data-testid^=market-]", (cards) =>
      Object.fromEntries(cards.map((c) => [c.getAttribute("data-testid") ?? "", c.querySelector("[data-testid=mark]")?.textContent ?? ""])));
    const first = await readMarks();
    const changed = new Set<string>();
    const deadline = Date.now() + 5000;
    while (changed.size < seedMarkets.length && Date.now() < deadline) {
      await page.waitForTimeout(200);
      const now = await readMarks();
      for (const [id, text] of Object.entries(now)) if (text !== first[id] && /\d/.test(text)) changed.add(id);
    }
    expect([...changed].sort()).toEqual(seedMarkets.map((m) => `market-${m.id}`).sort());

    // Each card has a drawn line and an age that is not stale.
    for (const m of seedMarkets) {
      const card = page.getByTestId(`market-${m.id}`);
      await card.locator(".recharts-line-curve").waitFor();
      expect(await card.locator(".age").textContent()).toMatch(/^\d+(\.\d)? s ago$/);
    }
    await page.waitForTimeout(1500); // a few more points on the charts for the picture
    await page.screenshot({ path: screenshotPath("desk-mark-prices"), fullPage: true });
  });
});
