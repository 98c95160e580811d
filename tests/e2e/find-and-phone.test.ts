// Issue 17 items 6 and 7 in Chromium. Find any account in a keystroke: Ctrl-K or `/` opens the
// palette on every desk page, a part of an id or of an owner's e-mail finds the account, Enter
// opens it; the accounts table's filters and sort live in the URL (reload: the same table; Back:
// the previous one). The trader page works on a phone: at 390 px no page scrolls sideways and
// every figure, the liquidation price included, has the room to show its text.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Browser, Page } from "playwright-core";
import { launchBrowser, screenshotPath } from "../support/browser";
import { startAppServer, stopAndRemove, type AppServer } from "../support/app-server";
import { newDeskPage, signIn, signInBrowser, signInDesk } from "../support/sign-in";

const ACCOUNTS = 2000;
const TRADER_B = { email: "trader-b@liqdesk.local", password: "liqdesk-demo", account: "demo-trader-b" };

/** Console errors, uncaught exceptions and refused requests of a page, collected from the start. */
function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => errors.push(`pageerror on ${page.url()}: ${e.message}`));
  page.on("response", (r) => {
    if (r.status() >= 400) errors.push(`response: ${r.status()} ${r.request().method()} ${r.url()}`);
  });
  return errors;
}

/** Elements matching `selector` whose text does not fit their box (cut, or scrolled inside it), by what they say. */
function cutTexts(page: Page, selector: string): Promise<string[]> {
  return page.evaluate((sel) => [...document.querySelectorAll<HTMLElement>(sel)].filter((e) => {
    const box = e.getBoundingClientRect();
    return e.scrollWidth > e.clientWidth + 1 || box.width < 8 || box.right > window.innerWidth + 0.5 || box.left < -0.5;
  }).map((e) => `${e.dataset.testid ?? e.dataset.label ?? e.className}: "${e.textContent}" (${e.clientWidth}/${e.scrollWidth} px)`), selector);
}

/** Waits until the palette's shortcuts listen: a page shown before hydration ignores Ctrl-K (one loaded CI run pressed it just before). */
function shortcutsReady(page: Page): Promise<unknown> {
  return page.locator('[data-testid="find-account-button"][data-shortcut-ready="true"]').waitFor();
}

describe("find any account in a keystroke; the pages on a phone", () => {
  let server: AppServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startAppServer({ env: { LIQDESK_SIMULATOR: "on", LIQDESK_SIM_ACCOUNTS: String(ACCOUNTS) } });
    browser = await launchBrowser();
    const desk = await signInDesk(server);
    await vi.waitFor(async () => {
      const page = (await (await desk.fetch("/api/v1/accounts?limit=1&status=healthy&status=warning&status=liquidatable&status=backstop&status=bankrupt&status=unknown")).json()) as { total: number };
      expect(page.total).toBeGreaterThanOrEqual(ACCOUNTS);
    }, { timeout: 120_000, interval: 500 });
    // The demo traders are bound once the simulator's accounts are in.
    await vi.waitFor(() => expect(server.output()).toContain("(traders)"), { timeout: 60_000, interval: 500 });
  });
  afterAll(async () => {
    await browser?.close();
    expect(await stopAndRemove(server)).toBe(0);
  });

  it("Ctrl-K and / open the palette on every desk page; a part of an id or of an e-mail finds the account; Enter opens it", async () => {
    const page = await newDeskPage(browser, server, { viewport: { width: 1440, height: 900 } });
    const errors = collectErrors(page);
    const palette = page.getByTestId("account-palette");
    const input = page.getByTestId("palette-input");
    const status = page.getByTestId("palette-status");
    await page.goto(`${server.url}/desk`);
    await page.getByTestId("accounts-table").waitFor();
    await shortcutsReady(page);

    // Ctrl-K: the dialog opens with the focus in its input.
    await page.keyboard.press("Control+k");
    await palette.waitFor({ state: "visible" });
    expect(await page.evaluate(() => document.activeElement?.getAttribute("data-testid"))).toBe("palette-input");
    // A part of an id, in other case: the account, with its status and ratio.
    await input.fill("CCT-0123");
    await page.getByTestId("palette-hit-acct-01234").waitFor();
    await expect.poll(() => status.textContent()).toMatch(/^\d+ accounts?$/);
    expect(await page.getByTestId("palette-hit-acct-01234").textContent()).toMatch(/(healthy|warning|liquidatable|backstop|bankrupt|unknown).*(ratio|flat)/);
    // Nothing matches: said so.
    await input.fill("no-such-account-zz");
    await expect.poll(() => status.textContent()).toBe("No account matches “no-such-account-zz”.");
    // Esc closes it.
    await page.keyboard.press("Escape");
    await palette.waitFor({ state: "hidden" });

    // `/` typed in a field is a character; outside one it opens the palette.
    await page.getByTestId("filter-search").fill("");
    await page.getByTestId("filter-search").press("/");
    expect(await page.getByTestId("filter-search").inputValue()).toBe("/");
    expect(await palette.isVisible()).toBe(false);
    await page.getByTestId("filter-search").fill("");
    await page.locator("body").click({ position: { x: 5, y: 300 } });
    await page.keyboard.press("/");
    await palette.waitFor({ state: "visible" });
    // A part of an owner's e-mail finds the account bound to them; ↓ and Enter open the one chosen.
    await input.fill("RADER-B@");
    await page.getByTestId(`palette-hit-${TRADER_B.account}`).waitFor();
    expect(await page.getByTestId(`palette-hit-${TRADER_B.account}`).textContent()).toContain(TRADER_B.email);
    await page.keyboard.press("Enter");
    await page.waitForURL(`${server.url}/desk/accounts/${TRADER_B.account}`);
    expect(await page.getByTestId("account-id").textContent()).toBe(TRADER_B.account);

    // On the account page and the audit log too; ↓ moves to the second match.
    for (const path of [`/desk/accounts/${TRADER_B.account}`, "/desk/audit", "/desk/alerts"]) {
      if (!page.url().endsWith(path)) await page.goto(`${server.url}${path}`);
      await shortcutsReady(page);
      await page.keyboard.press("Control+k");
      await palette.waitFor({ state: "visible" });
      await input.fill("demo-trader-");
      await page.getByTestId("palette-hit-demo-trader-b").waitFor();
      await page.keyboard.press("ArrowDown");
      expect(await page.locator('[role="option"][aria-selected="true"]').getAttribute("data-testid")).toBe("palette-hit-demo-trader-b");
      await page.keyboard.press("Enter");
      await page.waitForURL(`${server.url}/desk/accounts/demo-trader-b`);
    }
    // Typed and entered at once, before the debounced answer: the best match of what was typed opens.
    await page.keyboard.press("Control+k");
    await input.fill("acct-00077");
    await page.keyboard.press("Enter");
    await page.waitForURL(`${server.url}/desk/accounts/acct-00077`);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("the accounts table's filters and sort live in the URL: reload shows the same table, Back the previous one; every numeric column sorts", async () => {
    const page = await newDeskPage(browser, server, { viewport: { width: 1440, height: 900 } });
    const errors = collectErrors(page);
    await page.goto(`${server.url}/desk`);
    const table = page.getByTestId("accounts-table");
    await table.locator("[data-testid^=account-row-]").first().waitFor();
    const rows = table.locator("[data-testid^=account-row-]");
    /** The figure of a column in the first rows on screen, as displayed (cells: 0 chart, 1 account, 2 status, 3 ratio, 4 equity, 5 MM, 6 notional, 7 positions, 8 owner). */
    const column = async (cell: number) => (await rows.evaluateAll((els, c) => els.slice(0, 12)
      .map((r) => r.querySelectorAll('[role="cell"]')[c]?.textContent ?? ""), cell))
      .map((t) => Number(t.replace(/[,\s]/g, "").replace("−", "-")));
    const sortOf = (column: string) => table.locator(`[role="columnheader"]:has([data-testid="sort-${column}"])`).getAttribute("aria-sort");
    const showsAll = async () => {
      for (const s of ["healthy", "warning", "liquidatable", "backstop", "bankrupt"]) {
        if (await page.getByTestId(`filter-status-${s}`).getAttribute("aria-pressed") === "false") await page.getByTestId(`filter-status-${s}`).click();
      }
    };

    await showsAll();
    await page.waitForURL(/status=/);
    // Each numeric column, each way: the rows on screen come in that order (from the server, over the whole book).
    for (const [name, cell] of [["equity", 4], ["maintenanceMargin", 5], ["notional", 6], ["positions", 7]] as const) {
      await page.getByTestId(`sort-${name}`).click();
      await page.waitForURL(new RegExp(`sort=${name}%3Adesc|sort=${name}:desc`));
      await expect.poll(() => sortOf(name)).toBe("descending");
      await expect.poll(async () => { const v = await column(cell); return v.length > 3 && v.every((x, i) => i === 0 || x <= v[i - 1]!); }, { timeout: 15_000 }).toBe(true);
      await page.getByTestId(`sort-${name}`).click();
      await page.waitForURL(new RegExp(`sort=${name}%3Aasc|sort=${name}:asc`));
      await expect.poll(() => sortOf(name)).toBe("ascending");
      await expect.poll(async () => { const v = await column(cell); return v.length > 3 && v.every((x, i) => i === 0 || x >= v[i - 1]!); }, { timeout: 15_000 }).toBe(true);
    }
    expect(await sortOf("marginRatio")).toBe("none");

    // A filter and a sort; Back steps through the previous ones without leaving the page, Forward returns.
    const pressed = async () => {
      const on: string[] = [];
      for (const s of ["healthy", "warning", "liquidatable", "backstop", "bankrupt"]) {
        if (await page.getByTestId(`filter-status-${s}`).getAttribute("aria-pressed") === "true") on.push(s);
      }
      return on;
    };
    await page.getByTestId("filter-status-healthy").click();
    await expect.poll(pressed).toEqual(["warning", "liquidatable", "backstop", "bankrupt"]);
    await page.getByTestId("filter-status-bankrupt").click();
    await expect.poll(pressed).toEqual(["warning", "liquidatable", "backstop"]);
    await page.getByTestId("sort-equity").click();
    await page.waitForURL(/sort=equity%3Adesc|sort=equity:desc/);
    const url = page.url();
    expect(new URL(url).searchParams.get("status")?.split(",").sort()).toEqual(["backstop", "liquidatable", "warning"]);
    await page.goBack();
    await expect.poll(() => table.getAttribute("data-sort")).toBe("positions:asc");
    expect(await pressed()).toEqual(["warning", "liquidatable", "backstop"]);
    await page.goBack();
    await expect.poll(pressed).toEqual(["warning", "liquidatable", "backstop", "bankrupt"]);
    await page.goBack();
    await expect.poll(pressed).toEqual(["healthy", "warning", "liquidatable", "backstop", "bankrupt"]);
    expect(await table.getAttribute("data-sort")).toBe("positions:asc");
    expect(new URL(page.url()).pathname).toBe("/desk");
    for (let i = 0; i < 3; i++) await page.goForward();
    await expect.poll(() => table.getAttribute("data-sort")).toBe("equity:desc");
    expect(page.url()).toBe(url);

    // Reload: the same table.
    await page.reload();
    await table.locator("[data-testid^=account-row-]").first().waitFor();
    expect(page.url()).toBe(url);
    expect(await pressed()).toEqual(["warning", "liquidatable", "backstop"]);
    expect(await sortOf("equity")).toBe("descending");
    expect(await table.getAttribute("data-sort")).toBe("equity:desc");
    await expect.poll(async () => { const v = await column(4); return v.length > 0 && v.every((x, i) => i === 0 || x <= v[i - 1]!); }, { timeout: 15_000 }).toBe(true);
    expect(await rows.evaluateAll((els) => els.slice(0, 12).map((r) => r.querySelectorAll('[role="cell"]')[2]?.textContent)))
      .toSatisfy((statuses: string[]) => statuses.every((x) => ["warning", "liquidatable", "backstop"].includes(x)));
    // Back after the reload: the previous table again.
    await page.goBack();
    await expect.poll(() => table.getAttribute("data-sort")).toBe("positions:asc");
    await page.goForward();
    await expect.poll(() => table.getAttribute("data-sort")).toBe("equity:desc");

    const shared = await newDeskPage(browser, server, { viewport: { width: 1440, height: 900 } });
    await shared.goto(url);
    await shared.getByTestId("accounts-table").locator("[data-testid^=account-row-]").first().waitFor();
    expect(await shared.getByTestId("accounts-table").getAttribute("data-sort")).toBe("equity:desc");
    expect(await shared.getByTestId("filter-status-healthy").getAttribute("aria-pressed")).toBe("false");
    expect(await shared.getByTestId("filter-status-bankrupt").getAttribute("aria-pressed")).toBe("false");
    await shared.context().close();

    // The id typed in the filter goes into the URL too; each account's owner is shown.
    await page.getByTestId("filter-search").fill("demo-trader");
    await page.waitForURL(/q=demo-trader/);
    await showsAll();
    const traderRow = table.getByTestId(`account-row-${TRADER_B.account}`);
    await traderRow.waitFor();
    expect(await traderRow.getByTestId("row-owner").textContent()).toBe(TRADER_B.email);
    await page.getByTestId("filter-search").fill("acct-0001");
    await table.locator("[data-testid^=account-row-acct-0001]").first().waitFor();
    expect(await table.locator("[data-testid^=account-row-]").first().getByTestId("row-owner").textContent()).toBe("—");
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("at 390 px nothing scrolls the page sideways, and every figure of the trader's page has the room to show its text", async () => {
    const trader = await signIn(server.url, TRADER_B.email, TRADER_B.password);
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    await signInBrowser(context, server, trader);
    const page = await context.newPage();
    const errors = collectErrors(page);
    await page.goto(`${server.url}/account`);
    await page.waitForSelector('[data-testid="connection-status"][data-status="live"]');
    const positions = page.getByTestId("positions-table").locator("[data-testid^=position-]");
    await positions.first().waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    // The headline figures and every figure of every position, the liquidation price first: whole, on screen, not slivers.
    expect(await cutTexts(page, ".figure .figure-value, .figure .figure-label")).toEqual([]);
    expect(await cutTexts(page, '[data-testid="positions-table"] td')).toEqual([]);
    const liq = await page.getByTestId("liquidation-price").evaluateAll((els) => els.map((e) => ({ width: e.getBoundingClientRect().width, text: e.textContent })));
    expect(liq.length).toBe(await positions.count());
    for (const cell of liq) {
      expect(cell.text).toMatch(/\d/);
      expect(cell.width, `liquidation price ${cell.text}`).toBeGreaterThan(100);
    }
    // Each position shows all twelve figures (its margin mode among them, spec §11), each at least a third of the card wide.
    for (const row of await positions.all()) {
      const widths = await row.locator("td").evaluateAll((els) => els.map((e) => e.getBoundingClientRect().width));
      expect(widths).toHaveLength(12);
      for (const w of widths) expect(w).toBeGreaterThan(110);
    }
    await page.screenshot({ path: screenshotPath("trader-390"), fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  });

  it("at 390 px every desk page stays within the screen: wide tables scroll in their own box, with a hint", async () => {
    const page = await newDeskPage(browser, server, { viewport: { width: 390, height: 844 } });
    const errors = collectErrors(page);
    for (const path of ["/desk", `/desk/accounts/${TRADER_B.account}`, "/desk/audit", "/desk/alerts", "/desk/alerts/rules"]) {
      await page.goto(`${server.url}${path}`);
      await page.getByTestId("find-account-button").waitFor();
      if (path === "/desk") await page.getByTestId("accounts-table").locator("[data-testid^=account-row-]").first().waitFor();
      else if (path.startsWith("/desk/accounts/")) await page.getByTestId("positions-table").locator("[data-testid^=position-]").first().waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(390);
      expect(await page.evaluate(() => document.body.scrollWidth), path).toBeLessThanOrEqual(390);
      if (path === "/desk") {
        expect(await cutTexts(page, ".summary .figure-value")).toEqual([]);
        // The accounts table is wider than the phone: it scrolls inside its box and says so.
        const box = page.getByTestId("accounts-panel").locator(".scroll-x");
        expect(await box.evaluate((e) => e.scrollWidth > e.clientWidth)).toBe(true);
        await page.getByTestId("accounts-panel").getByTestId("scroll-hint").waitFor();
        // The palette fits the phone.
        await page.getByTestId("find-account-button").click();
        await page.getByTestId("palette-input").fill("demo-trader");
        await page.getByTestId(`palette-hit-${TRADER_B.account}`).waitFor();
        const dialog = await page.getByTestId("account-palette").boundingBox();
        expect(dialog!.x).toBeGreaterThanOrEqual(0);
        expect(dialog!.x + dialog!.width).toBeLessThanOrEqual(390);
        expect(await cutTexts(page, ".palette-id")).toEqual([]);
        await page.keyboard.press("Escape");
        await page.evaluate(() => window.scrollTo(0, 0));
        await page.screenshot({ path: screenshotPath("desk-390"), fullPage: true });
      }
    }
    // Between a phone and a desktop as well: the bar wraps, the tables scroll in their boxes.
    for (const width of [600, 820, 1024, 1280]) {
      await page.setViewportSize({ width, height: 900 });
      for (const path of ["/desk", `/desk/accounts/${TRADER_B.account}`, "/desk/alerts"]) {
        await page.goto(`${server.url}${path}`);
        await page.getByTestId("find-account-button").waitFor();
        await page.waitForTimeout(500);
        expect(await page.evaluate(() => document.documentElement.scrollWidth), `${path} at ${width} px`).toBeLessThanOrEqual(width);
      }
    }
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
