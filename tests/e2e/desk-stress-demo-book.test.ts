import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import type { DeskSnapshot } from "@/lib/contracts/desk";
import type { MarketsResponse } from "@/lib/contracts/markets";
import { seedMarkets } from "@/lib/sim/seed-markets";
import { newDeskPage, signInDesk } from "../support/sign-in";
import { launchBrowser, screenshotPath } from "../support/browser";
import { IngestClient } from "../support/ingest-client";
import { runScript, startAppServer, stopAndRemove, type AppServer } from "../support/app-server";

const ACCOUNTS = 2000;
/** Four sources against the simulator's three: every mark is the median of ours, and holds still. */
const SOURCES = ["e2e-1", "e2e-2", "e2e-3", "e2e-4"];

/**
 * Issue 15, item 20: on the demo book, a stress run with no shock liquidates no more than the live
 * queue. The demo population as a server seeds it (at the markets' start prices), then a calm
 * day's move (BTC-PERP −2% from there) pinned by our price sources, execution off so that the
 * queue holds still.
 */
describe("a no-shock stress run on the demo book", () => {
  let server: AppServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startAppServer({
      env: {
        LIQDESK_SIMULATOR: "on", LIQDESK_SIM_ACCOUNTS: String(ACCOUNTS), LIQDESK_SIM_TICK_MS: "60000",
        LIQDESK_EXECUTION: "off", LIQDESK_STALE_AFTER_MS: "600000",
      },
    });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    expect(await stopAndRemove(server)).toBe(0);
  });

  it("liquidates exactly the live queue in round 1 and no more in all, with the queue a few accounts", async () => {
    // The token first: a CLI run leaves the test's idle HTTP connections to be closed under it.
    const ingest = new IngestClient(server.url, runScript(server, "token", ["create", "e2e-calm-day"]).trim());
    const desk = await signInDesk(server);
    const snapshot = async () => (await (await desk.fetch("/api/v1/desk/snapshot")).json()) as DeskSnapshot;
    await expect.poll(async () => (await snapshot()).summary.book.accountsWithPositions, { timeout: 120_000, interval: 1000 }).toBe(ACCOUNTS);
    const { markets } = (await (await desk.fetch("/api/v1/markets")).json()) as MarketsResponse;
    const ts = Date.now();
    const start = new Map(seedMarkets.map((m) => [m.id, m.sim.startPrice]));
    const target = Object.fromEntries(markets.map((m) => [m.id, Number((start.get(m.id)! * (m.id === "BTC-PERP" ? 0.98 : 1)).toFixed(6))]));
    for (const source of SOURCES) {
      await ingest.post("prices", { source, ticks: markets.map((m) => ({ marketId: m.id, price: target[m.id], ts })) });
    }
    await expect.poll(async () => {
      const now = (await (await desk.fetch("/api/v1/markets")).json()) as MarketsResponse;
      return now.markets.every((m) => m.mark === target[m.id]);
    }, { timeout: 30_000 }).toBe(true);
    // The marks above are the main thread's; the engine revalues the book after them. The queue is
    // read once it holds still: two reads a second apart agree, and its page agrees with its size.
    let queue = -1;
    await expect.poll(async () => {
      const s = await snapshot();
      const settled = s.summary.book.queue.size === queue && s.queue.total === queue;
      queue = s.summary.book.queue.size;
      return settled;
    }, { timeout: 30_000, interval: 1000 }).toBe(true);
    // A calm day: a few accounts in the queue, not 5% of the book.
    expect(queue).toBeLessThan(0.01 * ACCOUNTS);
    expect(queue, "the move queues someone: the cascade has something to start from").toBeGreaterThan(0);

    const page = await newDeskPage(browser, server, { viewport: { width: 1440, height: 1000 } });
    await page.goto(`${server.url}/desk`);
    await expect.poll(() => page.getByTestId("connection-status").getAttribute("data-status")).toBe("live");
    const panel = page.getByTestId("stress-panel");
    await panel.scrollIntoViewIfNeeded();
    expect(await panel.getByTestId("stress-will-run").textContent()).toBe("Will run: no shock · every market's own depth");
    await panel.getByRole("button", { name: "Run stress test" }).click();
    const result = panel.getByTestId("stress-result");
    await result.waitFor({ timeout: 60_000 });
    const value = async (id: string) => Number(await result.getByTestId(id).getAttribute("data-value"));
    if (await value("stress-liquidatable-accounts") !== queue) {
      // What the queue holds, to tell a book from a model apart when they disagree.
      const rows = (await snapshot()).queue.items.map((e) => `${e.accountId} ${e.status} eq=${e.equity} mm=${e.maintenanceMargin} paused=${e.pausedReason}`);
      console.error(`queue ${queue}:\n${rows.join("\n")}`);
    }
    expect(await value("stress-liquidatable-accounts"), "at the live marks: the live queue").toBe(queue);
    if (queue > 0) expect(Number(await result.getByTestId("cascade-round-1").getAttribute("data-accounts"))).toBe(queue);
    expect(await value("stress-accounts-liquidated"), "the whole no-shock cascade").toBeLessThanOrEqual(queue);
    expect((await snapshot()).summary.book.queue.size, "the queue held still").toBe(queue);
    // Every mark stays within a hair of the live one: no −100% marks, no runaway.
    const changes = await result.locator("[data-testid^=cascade-market-]").evaluateAll((rows) => rows.map((r) => Number(r.getAttribute("data-change"))));
    for (const c of changes) expect(Math.abs(c)).toBeLessThan(0.01);
    await panel.screenshot({ path: screenshotPath("desk-stress-demo-no-shock") });
    await page.close();
  });
});
