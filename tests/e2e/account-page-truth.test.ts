import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { launchBrowser, screenshotPath } from "../support/browser";
import { IngestClient } from "../support/ingest-client";
import { runScript, startAppServer, stopAndRemove, type AppServer } from "../support/app-server";
import { createUser, signIn, signInBrowser, signInDesk } from "../support/sign-in";

/** Prices only from the test; the simulated venue executes liquidation steps (every 250 ms). */
const ENV = { LIQDESK_SIMULATOR: "off", LIQDESK_EXECUTION: "on", LIQDESK_STALE_AFTER_MS: "600000", LIQDESK_TOPUP_RATE_LIMIT: "1000" };
const LIQ = "e2e-truth-liq";
const FLAT_EMPTY = "e2e-truth-flat";
const FLAT_DEBT = "e2e-truth-debt";
const OTHER = "e2e-truth-other";
const TRADER = "truth@e2e.test";
const OTHER_TRADER = "other@e2e.test";
const WIDTHS = [1440, 390] as const;

/** What one painted frame of the account page says about the account, panel by panel. */
interface Frame {
  t: number;
  header: string | null;
  headerQueued: boolean;
  nowStatus: string | null;
  nowQueue: string | null;
  /** The margin ratio of the gauge and of the top-up box's "now" row (data-value, unrounded). */
  gaugeRatio: string | null;
  nowRatio: string | null;
  positions: number;
  liqRows: number;
  presetQueue: boolean;
  presetHealthy: boolean;
  agrees: string | null;
  afterStatus: string | null;
  afterText: string;
  trigger: boolean;
}

/** Records every animation frame of the page from now on (window.__frames), until stopFrames. */
async function startFrames(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __frames: unknown[]; __stop: boolean };
    w.__frames = [];
    w.__stop = false;
    const q = (id: string) => document.querySelector(`[data-testid="${id}"]`);
    const loop = () => {
      if (w.__stop) return;
      w.__frames.push({
        t: performance.now(),
        header: q("account-status")?.getAttribute("data-state") ?? null,
        headerQueued: q("account-queue") !== null,
        nowStatus: q("topup-now-status")?.getAttribute("data-state") ?? null,
        nowQueue: q("topup-now-queue")?.textContent ?? null,
        gaugeRatio: q("margin-gauge")?.getAttribute("data-value") ?? null,
        nowRatio: q("topup-now")?.querySelector("[data-value]")?.getAttribute("data-value") ?? null,
        positions: document.querySelectorAll('[data-testid="positions-table"] [data-testid^="position-"]').length,
        liqRows: document.querySelectorAll('[data-testid^="topup-liq-"]').length,
        presetQueue: q("topup-preset-queue") !== null,
        presetHealthy: q("topup-preset-healthy") !== null,
        agrees: q("topup-preview")?.getAttribute("data-agrees") ?? null,
        afterStatus: q("topup-after-status")?.getAttribute("data-state") ?? null,
        afterText: q("topup-after")?.textContent ?? "",
        trigger: q("liquidation-trigger") !== null,
      });
      requestAnimationFrame(loop);
    };
    requestAnimationFrame(loop);
  });
}

async function stopFrames(page: Page): Promise<Frame[]> {
  return page.evaluate(() => {
    const w = window as unknown as { __frames: Frame[]; __stop: boolean };
    w.__stop = true;
    return w.__frames;
  });
}

/** Every way a frame could contradict itself: each panel must say what the header says. */
function contradictions(f: Frame): string[] {
  const out: string[] = [];
  if (f.header !== f.nowStatus) out.push(`header "${f.header}" but top-up now "${f.nowStatus}"`);
  if (f.headerQueued !== (f.nowQueue === "in the queue")) out.push(`header ${f.headerQueued ? "queued" : "not queued"} but top-up now "${f.nowQueue}"`);
  if (f.gaugeRatio !== f.nowRatio) out.push(`gauge ratio ${f.gaugeRatio} but top-up now ${f.nowRatio}`);
  if (f.positions !== f.liqRows) out.push(`${f.positions} positions but ${f.liqRows} liquidation-price rows in the top-up box`);
  if (f.presetQueue && !f.headerQueued) out.push("a 'leave the queue' preset beside a header not in the queue");
  if (f.presetHealthy && f.header === "healthy") out.push("a 'be healthy' preset beside a healthy header");
  if (f.agrees !== "true" && f.afterStatus !== null) out.push(`a status "${f.afterStatus}" after the amount from a preview of another account state`);
  if (f.trigger && f.headerQueued) out.push("'if liquidation started' beside an account already in the queue");
  return out;
}

describe("the account page tells one truth", () => {
  let server: AppServer;
  let browser: Browser;
  let ingest: IngestClient;
  let password: string;
  // One sign-in per trader (sign-in is rate-limited per address).
  const sessions = new Map<string, ReturnType<typeof signIn>>();

  async function traderPage(width: number, email = TRADER, pass = password): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width, height: 1100 } });
    if (!sessions.has(email)) sessions.set(email, signIn(server.url, email, pass));
    await signInBrowser(context, server, await sessions.get(email)!);
    return { context, page: await context.newPage() };
  }

  beforeAll(async () => {
    server = await startAppServer({ env: ENV });
    ingest = new IngestClient(server.url, runScript(server, "token", ["create", "e2e-truth"]).trim());
    browser = await launchBrowser();
    await ingest.mark("BTC-PERP", 62000);
    await ingest.post("collateral", { entries: [
      { accountId: LIQ, amount: "20000", kind: "deposit", idempotencyKey: `${LIQ}-dep` },
      { accountId: FLAT_EMPTY, amount: "100", kind: "deposit", idempotencyKey: `${FLAT_EMPTY}-dep` },
      { accountId: FLAT_EMPTY, amount: "-100", kind: "withdrawal", idempotencyKey: `${FLAT_EMPTY}-wd` },
      { accountId: FLAT_DEBT, amount: "10", kind: "deposit", idempotencyKey: `${FLAT_DEBT}-dep` },
      { accountId: FLAT_DEBT, amount: "-25.5", kind: "withdrawal", idempotencyKey: `${FLAT_DEBT}-wd` },
      { accountId: OTHER, amount: "5000", kind: "deposit", idempotencyKey: `${OTHER}-dep` },
    ] });
    // The spec's "large-long": 12 BTC from 61,200 with 20,000 collateral; liquidation price 60,025.25.
    await ingest.post("positions", { source: "e2e-venue", updates: [
      { accountId: LIQ, marketId: "BTC-PERP", qty: 12, entryPrice: 61200, seq: 1 },
      { accountId: OTHER, marketId: "BTC-PERP", qty: 0.1, entryPrice: 62000, seq: 1 },
    ] });
    password = createUser(server, TRADER, "trader", [LIQ, FLAT_EMPTY, FLAT_DEBT]);
    createUser(server, OTHER_TRADER, "trader", [OTHER], "other-password-1");
  });
  afterAll(async () => {
    await browser?.close();
    await stopAndRemove(server);
  });

  it("through liquidation steps, every painted frame of the trader's page shows one state in every panel", async () => {
    const { context, page } = await traderPage(1440);
    const polls: string[] = [];
    page.on("response", (r) => {
      if (r.url().includes("/api/v1/accounts/") && !r.url().includes("topups")) polls.push(`${r.status()}`);
    });
    await page.goto(`${server.url}/account?account=${LIQ}`);
    await page.waitForSelector('[data-testid="connection-status"][data-status="live"]');
    await page.getByTestId("account-not-queued").waitFor();
    await page.getByTestId("liquidation-trigger").waitFor();
    await page.getByTestId("topup-amount").fill("100");
    await expect.poll(() => page.getByTestId("topup-preview").getAttribute("data-agrees")).toBe("true");
    await startFrames(page);
    // Into the queue (partial steps: the venue executes them within a push or two), then through backstop to bankrupt.
    await ingest.mark("BTC-PERP", 60000);
    await page.waitForTimeout(1500);
    await ingest.mark("BTC-PERP", 59000);
    await page.waitForTimeout(1500);
    await ingest.mark("BTC-PERP", 56000);
    const events = page.getByTestId("account-events").locator("[data-testid^=event-]");
    // The step is on the page: its history (ledger, events) is polled every 2 s while the socket pushes the view at every change.
    await expect.poll(() => events.count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
    const pollsBefore = polls.length;
    await page.waitForTimeout(6000); // the full liquidation waits out the cool-down; previews computed before the step asked again
    expect(polls.length - pollsBefore).toBeGreaterThanOrEqual(2);
    const frames = await stopFrames(page);
    await page.screenshot({ path: screenshotPath("account-after-liquidation-1440"), fullPage: true });

    const states = new Set(frames.map((f) => `${f.header}/${f.positions}`));
    expect(frames.length).toBeGreaterThan(100);
    expect(states.size, [...states].join(" ")).toBeGreaterThanOrEqual(3); // healthy → queue → a step → bankrupt: the page did change
    const bad = frames.flatMap((f) => contradictions(f).map((c) => `${Math.round(f.t)} ms: ${c}`));
    expect(bad.slice(0, 10), `${bad.length} of ${frames.length} frames contradict themselves`).toEqual([]);
    // Settled: the server's "after" is back, of the same state as the header.
    await expect.poll(() => page.getByTestId("topup-preview").getAttribute("data-agrees"), { timeout: 10_000 }).toBe("true");
    await context.close();
  });

  it("a wiped-out flat account says so: 'flat · no margin' and 'flat · in debt 15.50 USD', never a green 'healthy'", async () => {
    for (const width of WIDTHS) {
      const { context, page } = await traderPage(width);
      await page.goto(`${server.url}/account?account=${FLAT_EMPTY}`);
      const badge = page.getByTestId("account-status");
      await expect.poll(() => badge.getAttribute("data-state")).toBe("flat-empty");
      expect(await badge.textContent()).toBe("flat · no margin");
      expect(await badge.getAttribute("class")).not.toContain("badge-healthy");
      expect(await page.getByTestId("topup-now-status").textContent()).toBe("flat · no margin");
      await page.screenshot({ path: screenshotPath(`account-flat-empty-${width}`), fullPage: true });
      await page.goto(`${server.url}/account?account=${FLAT_DEBT}`);
      await expect.poll(() => badge.getAttribute("data-state")).toBe("flat-debt");
      expect(await badge.textContent()).toBe("flat · in debt 15.50 USD");
      await page.screenshot({ path: screenshotPath(`account-flat-debt-${width}`), fullPage: true });
      await context.close();
    }
  });

  it("the top-up form reads .5 and 5., says a 21-digit amount is too large with the limit, and a 0.000001 top-up never reads 0.00", async () => {
    const { context, page } = await traderPage(1440);
    await page.goto(`${server.url}/account?account=${FLAT_DEBT}`);
    const amount = page.getByTestId("topup-amount");
    const error = page.getByTestId("topup-amount-error");
    const after = page.getByTestId("topup-after");
    await page.getByTestId("topup-preview").waitFor();

    await amount.fill(".5");
    await expect.poll(() => after.textContent()).toContain("After +0.50 USD");
    expect(await error.count()).toBe(0);
    await amount.fill("5.");
    await expect.poll(() => after.textContent()).toContain("After +5.00 USD");
    expect(await error.count()).toBe(0);
    await amount.fill("123456789012345678901");
    await expect.poll(() => error.textContent()).toBe("Amount: too large: the largest top-up is 1,000,000.00 USD.");
    await amount.fill("0");
    await expect.poll(() => error.textContent()).toBe("Amount: must be more than 0.");
    await amount.fill("0.0000001");
    await expect.poll(() => error.textContent()).toMatch(/^Amount: at most 6 decimals/);
    await amount.fill("1,000");
    await expect.poll(() => error.textContent()).toBe("Amount: enter a number of USD, like 250 or 1250.50.");
    await page.screenshot({ path: screenshotPath("account-topup-message-1440"), fullPage: true });

    await amount.fill("0.000001");
    await expect.poll(() => after.textContent()).toContain("After +0.000001 USD");
    await page.getByTestId("topup-submit").click();
    await expect.poll(() => page.getByTestId("topup-done").textContent()).toContain("Added 0.000001 USD");
    const ledger = page.getByTestId("ledger-table");
    await expect.poll(() => ledger.textContent()).toContain("+0.000001");
    await page.screenshot({ path: screenshotPath("account-topup-tiny-1440"), fullPage: true });
    await context.close();

    const desk = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    await signInBrowser(desk, server, await signInDesk(server));
    const audit = await desk.newPage();
    await audit.goto(`${server.url}/desk/audit`);
    const row = audit.locator(`[data-action="topup.create"][data-account="${FLAT_DEBT}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain("top-up of 0.000001 USD");
    await desk.close();
  });

  it("another trader's account (or none) is a 404 naming it, at /account?account= and /desk/accounts/, never the trader's own", async () => {
    for (const width of WIDTHS) {
      const { context, page } = await traderPage(width);
      for (const asked of [OTHER, "no-such-account"]) {
        const res = await page.goto(`${server.url}/account?account=${asked}`);
        expect(res?.status()).toBe(404);
        expect(await page.getByTestId("account-not-yours").textContent()).toContain(`No account “${asked}” among yours`);
        expect(await page.getByTestId("account-id").count()).toBe(0);
      }
      await page.screenshot({ path: screenshotPath(`account-not-yours-${width}`), fullPage: true });
      const res = await page.goto(`${server.url}/desk/accounts/${OTHER}`);
      expect(res?.status()).toBe(404);
      expect(new URL(page.url()).search).toBe(`?account=${OTHER}`);
      expect(await page.getByTestId("account-not-yours").textContent()).toContain(OTHER);
      // Their own account by the desk's address: shown as their own page.
      await page.goto(`${server.url}/desk/accounts/${FLAT_EMPTY}`);
      await expect.poll(() => page.getByTestId("account-id").textContent()).toBe(FLAT_EMPTY);
      await context.close();
    }
    // The other trader still sees their own account.
    const { context, page } = await traderPage(1440, OTHER_TRADER, "other-password-1");
    await page.goto(`${server.url}/account`);
    await expect.poll(() => page.getByTestId("account-id").textContent()).toBe(OTHER);
    await context.close();
  });
});
