import { copyFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { seedMarkets } from "@/lib/sim/seed-markets";
import { newDeskPage, signInDesk, type Session } from "../support/sign-in";
import { launchBrowser, screenshotPath } from "../support/browser";
import { IngestClient } from "../support/ingest-client";
import { runScript, startAppServer, stopAndRemove, type AppServer } from "../support/app-server";

const DOCS_SCREENSHOTS = path.resolve(import.meta.dirname, "../../docs/screenshots");
/** A market with no source fresher than this is stale (spec §7): short, so that stopping a feed raises its alert within seconds. */
const STALE_AFTER_MS = 3000;
/** How long a poll waits: the machine is shared and busy (a POST, its push and the list read again take more than a second under load). */
const WAIT = { timeout: 15_000, interval: 100 };

/** Keeps every market fresh except the ones stopped: the venue's price feed, through the ingest API. */
class Feeder {
  private readonly prices = new Map(seedMarkets.map((m) => [m.id, m.sim.startPrice]));
  readonly stopped = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private ts = Date.now();
  constructor(private readonly ingest: IngestClient) {}

  async tick(): Promise<void> {
    this.ts = Math.max(Date.now(), this.ts + 1);
    const ticks = [...this.prices].filter(([id]) => !this.stopped.has(id)).map(([marketId, price]) => ({ marketId, price, ts: this.ts }));
    if (ticks.length) for (const source of ["feed-a", "feed-b", "feed-c"]) await this.ingest.post("prices", { source, ticks });
  }

  start(): void {
    const loop = () => void this.tick().catch(() => undefined).finally(() => {
      if (this.timer) this.timer = setTimeout(loop, 700);
    });
    this.timer = setTimeout(loop, 0);
  }

  set(marketId: string, price: number): void {
    this.prices.set(marketId, price);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}

const counts = (page: Page) => page.getByTestId("alert-counts");
const unresolved = async (desk: Session, query: string) =>
  ((await (await desk.fetch(`/api/v1/alerts?${query}`)).json()) as { total: number; items: { id: string; subject: string; state: string }[] });

/**
 * The alert inbox in a real browser (issue 17, item 3): a desk user signs in; a market's feed
 * stops and its alert appears in the inbox without a reload, the header counts it; j/k move and
 * a acknowledges it (with a note) from the keyboard, and the count goes down; a liquidation that
 * leaves uncovered bad debt raises an alert whose Enter opens the account. Screenshots of the
 * inbox at 1440 and 390 px (no sideways scrolling on the phone).
 */
describe("the alert inbox, live", () => {
  let server: AppServer;
  let browser: Browser;
  let feeder: Feeder;
  let ingest: IngestClient;
  let desk: Session;

  beforeAll(async () => {
    server = await startAppServer({ env: { LIQDESK_SIMULATOR: "off", LIQDESK_EXECUTION: "on", LIQDESK_STALE_AFTER_MS: String(STALE_AFTER_MS) } });
    ingest = new IngestClient(server.url, runScript(server, "token", ["create", "e2e-alerts"]).trim());
    feeder = new Feeder(ingest);
    await feeder.tick();
    feeder.start();
    browser = await launchBrowser();
    desk = await signInDesk(server);
  });
  afterAll(async () => {
    feeder?.stop();
    await browser?.close();
    expect(await stopAndRemove(server)).toBe(0);
  });

  it("a stale market's alert appears live, the header counts it, j/k and a acknowledge it from the keyboard", async () => {
    // Every market was stale at start (never priced): their alerts clear as the feed arrives.
    await expect.poll(async () => (await unresolved(desk, "ruleId=market-stale")).total, { timeout: 20_000 }).toBe(0);
    const page = await newDeskPage(browser, server, { viewport: { width: 1440, height: 900 } });
    await page.goto(`${server.url}/desk/alerts`);
    await page.getByTestId("alerts-live").filter({ hasText: "live" }).waitFor();
    await expect.poll(() => counts(page).getAttribute("data-total"), WAIT).toBe("0");
    await page.getByText("No alert matches these filters.").waitFor();

    feeder.stopped.add("SOL-PERP");
    const row = page.locator('[data-rule="market-stale"]', { hasText: "SOL-PERP" });
    await row.waitFor({ timeout: 15_000 });
    await expect.poll(() => counts(page).getAttribute("data-critical"), WAIT).toBe("1");
    expect(await row.getAttribute("data-state")).toBe("open");
    expect(await row.locator(".c-message").textContent()).toMatch(/^SOL-PERP: no fresh price since .* UTC/);

    // A second one, so that j and k have somewhere to go.
    feeder.stopped.add("XRP-PERP");
    const xrp = page.locator('[data-rule="market-stale"]', { hasText: "XRP-PERP" });
    await xrp.waitFor({ timeout: 15_000 });
    await expect.poll(() => counts(page).getAttribute("data-critical"), WAIT).toBe("2");

    // Newest first: XRP, then SOL. j focuses the list, j again moves down, k up, j down to SOL.
    await page.locator("body").click({ position: { x: 5, y: 300 } });
    await page.keyboard.press("j");
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute("data-testid")), WAIT).toBe(await xrp.getAttribute("data-testid"));
    await page.keyboard.press("j");
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute("data-testid")), WAIT).toBe(await row.getAttribute("data-testid"));
    await page.keyboard.press("k");
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute("data-testid")), WAIT).toBe(await xrp.getAttribute("data-testid"));
    await page.keyboard.press("j");
    await page.getByTestId("alert-panel").filter({ hasText: "SOL-PERP" }).waitFor();

    await page.keyboard.press("a");
    const note = page.getByTestId("action-note");
    await expect.poll(() => note.evaluate((el) => el === document.activeElement), WAIT).toBe(true);
    await page.keyboard.type("checking the SOL feed");
    await page.keyboard.press("Enter");
    await expect.poll(() => row.getAttribute("data-state"), WAIT).toBe("acknowledged");
    await expect.poll(() => counts(page).getAttribute("data-critical"), WAIT).toBe("1");
    // Focus is back on the row, and the history names who acknowledged it, with the note.
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute("data-testid")), WAIT).toBe(await row.getAttribute("data-testid"));
    await page.getByTestId("alert-history").filter({ hasText: "acknowledged by desk@liqdesk.local · checking the SOL feed" }).waitFor();
    const [alert] = (await unresolved(desk, "state=acknowledged")).items;
    expect(alert).toMatchObject({ subject: "market:SOL-PERP", state: "acknowledged" });

    // The header counts on the other desk pages too.
    await page.goto(`${server.url}/desk`);
    await expect.poll(() => counts(page).getAttribute("data-critical"), WAIT).toBe("1");
    await page.context().close();
  });

  it("uncovered bad debt from a liquidation raises an alert live; Enter opens its account; the inbox at 1440 and 390 px", async () => {
    const page = await newDeskPage(browser, server, { viewport: { width: 1440, height: 900 } });
    await page.goto(`${server.url}/desk/alerts`);
    await page.getByTestId("alerts-live").filter({ hasText: "live" }).waitFor();
    // 100 BTC long from 60,000 on 100 USD, the mark at 55,000: bankrupt at once, ~500,000 USD of
    // deficit (twice the fund's 250,000): the executor closes it and the rest is uncovered.
    feeder.set("BTC-PERP", 55000);
    await feeder.tick();
    await ingest.post("collateral", { entries: [{ accountId: "e2e-whale", amount: "100", kind: "deposit", idempotencyKey: "e2e-whale-dep" }] });
    await ingest.post("positions", { source: "e2e-venue", updates: [{ accountId: "e2e-whale", marketId: "BTC-PERP", qty: 100, entryPrice: 60000, seq: 1 }] });
    const bad = page.locator('[data-rule="uncovered-bad-debt"]');
    await bad.waitFor({ timeout: 30_000 });
    expect(await bad.locator(".c-message").textContent()).toMatch(/USD of bad debt the fund could not pay \(account e2e-whale, liquidation step \d+\)/);
    await bad.click({ position: { x: 4, y: 4 } });
    await page.keyboard.press("Enter");
    await page.waitForURL(`${server.url}/desk/accounts/e2e-whale`);
    await page.goBack();
    await page.getByTestId("alerts-table").waitFor();

    // More for the picture: a warning rule, a snoozed alert, an assigned one.
    const rule = (await (await desk.post("/api/v1/alert-rules", { name: "AVAX stale (warning)", kind: "market_stale", severity: "warning", scope: "market", marketId: "AVAX-PERP" })).json()) as { id: string };
    feeder.stopped.add("AVAX-PERP");
    await page.locator(`[data-rule="${rule.id}"]`).waitFor({ timeout: 15_000 });
    const xrp = (await unresolved(desk, "marketId=XRP-PERP")).items[0]!;
    expect((await desk.post(`/api/v1/alerts/${xrp.id}/snooze`, { until: Date.now() + 3_600_000, note: "feed vendor maintenance" })).status).toBe(200);
    const me = ((await (await desk.fetch("/api/v1/me")).json()) as { userId: string }).userId;
    const avax = (await unresolved(desk, `ruleId=${rule.id}`)).items[0]!;
    expect((await desk.post(`/api/v1/alerts/${avax.id}/assign`, { assigneeId: me })).status).toBe(200);
    await page.locator(`[data-testid="alert-${xrp.id}"].alert-row-snoozed`).waitFor();
    await page.locator(`[data-testid="alert-${avax.id}"]`, { hasText: "desk@liqdesk.local" }).waitFor();
    await page.locator(`[data-testid="alert-${avax.id}"]`).click({ position: { x: 4, y: 4 } });
    await page.getByTestId("alert-panel").filter({ hasText: "AVAX stale (warning)" }).waitFor();

    mkdirSync(DOCS_SCREENSHOTS, { recursive: true });
    const wide = screenshotPath("alerts-inbox-1440");
    await page.screenshot({ path: wide, fullPage: true });
    copyFileSync(wide, path.join(DOCS_SCREENSHOTS, "alerts-inbox-1440.png"));

    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByTestId("alerts-table").waitFor();
    await page.waitForTimeout(300);
    const narrow = screenshotPath("alerts-inbox-390");
    await page.screenshot({ path: narrow, fullPage: true });
    const widths = await page.evaluate(() => ({
      page: document.documentElement.scrollWidth, viewport: window.innerWidth,
      wide: [...document.querySelectorAll("body *")].filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
        .slice(0, 5).map((e) => `${e.tagName}.${e.className}`),
    }));
    expect(widths.page, `no sideways scrolling at 390 px: ${widths.wide.join(", ")}`).toBeLessThanOrEqual(widths.viewport);
    copyFileSync(narrow, path.join(DOCS_SCREENSHOTS, "alerts-inbox-390.png"));

    // The rules page: a rule the server refuses shows why beside the field; a good one is added.
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(`${server.url}/desk/alerts/rules`);
    await page.getByTestId("rule-add").click();
    await page.getByTestId("rule-name").fill("Ratio 150");
    await page.getByTestId("rule-param-threshold").fill("150");
    await page.getByTestId("rule-param-hysteresis").fill("0.05");
    await page.getByTestId("rule-save").click();
    const thresholdError = page.getByTestId("rule-form").locator("label", { has: page.getByTestId("rule-param-threshold") }).locator(".field-error");
    await expect.poll(() => thresholdError.textContent(), WAIT).toMatch(/must be above 0 and at most 100/);
    await page.screenshot({ path: screenshotPath("alert-rules-error-1440"), fullPage: true });
    await page.getByTestId("rule-param-threshold").fill("0.95");
    await page.getByTestId("rule-save").click();
    await page.getByTestId("rules-table").locator("tr", { hasText: "Ratio 150" }).waitFor();
    expect(await page.getByTestId("rule-form").count()).toBe(0);

    // The rules page at 390 px too: no sideways scrolling.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${server.url}/desk/alerts/rules`);
    await page.getByTestId("rules-table").waitFor();
    const rw = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, viewport: window.innerWidth }));
    expect(rw.page).toBeLessThanOrEqual(rw.viewport);
    await page.screenshot({ path: screenshotPath("alert-rules-390"), fullPage: true });
    await page.context().close();
  });
});
