import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { applyAlertSignals } from "@/lib/server/alerts/alert-store";
import { createPrismaClient, type PrismaClient } from "@/lib/server/db/prisma-client";
import { verifyWebhookSignature } from "@/lib/server/webhooks/signature";
import { launchBrowser, screenshotPath } from "../support/browser";
import { startAppServer, stopAndRemove, type AppServer } from "../support/app-server";
import { newDeskPage } from "../support/sign-in";
import { startWebhookReceiver, type WebhookReceiver } from "../support/webhook-receiver";

function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (m) => {
    // The refused save answers 400: the browser logs the failed request itself.
    if (m.type() === "error" && !/status of 400/.test(m.text())) errors.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  return errors;
}

/**
 * /desk/webhooks in Chromium against the real server: a webhook added through the form (a bad URL
 * refused under its field first), a test sent, then an alert raised in the server's database and
 * its delivery seen in the page's log, signed with the secret the page showed once. At a phone's
 * width (390 px) and a desk's.
 */
describe("desk webhooks page", () => {
  let server: AppServer;
  let browser: Browser;
  let rx: WebhookReceiver;
  let prisma: PrismaClient;

  beforeAll(async () => {
    rx = await startWebhookReceiver([200]);
    server = await startAppServer({ env: { LIQDESK_SIMULATOR: "off", LIQDESK_EXECUTION: "off", LIQDESK_WEBHOOK_POLL_MS: "200" } });
    prisma = createPrismaClient(server.databaseUrl, { maxConnections: 2 });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await prisma?.$disconnect();
    await rx?.close();
    expect(await stopAndRemove(server)).toBe(0);
  });

  it("adds a webhook (field error first), sends a test, and shows an alert's signed delivery in the log, readable at 390 px", async () => {
    const page = await newDeskPage(browser, server, { viewport: { width: 390, height: 844 } });
    const errors = collectErrors(page);
    await page.goto(`${server.url}/desk/webhooks`);
    await page.getByTestId("webhooks-panel").waitFor();
    await page.getByTestId("webhook-add").click();
    await page.getByTestId("webhook-name").fill("Ops channel");
    await page.getByTestId("webhook-url").fill("ftp://files.example.com/hook");
    await page.getByTestId("webhook-save").click();
    await expect.poll(() => page.getByTestId("webhook-error-url").textContent()).toMatch(/must use http: or https: \(got ftp:\)/);
    expect(await page.getByTestId("webhook-url").getAttribute("aria-invalid")).toBe("true");
    expect(await prisma.webhook.count()).toBe(0);
    await page.getByTestId("webhook-form").screenshot({ path: screenshotPath("desk-webhooks-form-error-390") });

    await page.getByTestId("webhook-url").fill(rx.url);
    await page.getByTestId("webhook-save").click();
    const secret = (await page.getByTestId("webhook-secret-value").textContent())!;
    expect(secret).toMatch(/^whsec_/);
    const webhook = await prisma.webhook.findFirstOrThrow();
    const card = page.getByTestId(`webhook-${webhook.id}`);
    await card.waitFor();
    expect(await card.getByTestId("webhook-state").textContent()).toBe("enabled");

    await card.getByTestId("webhook-test").click();
    await expect.poll(() => card.getByTestId("webhook-note").textContent(), { timeout: 15_000 }).toMatch(/^test delivered: HTTP 200 in \d+ ms$/);
    await page.locator('[data-testid^="delivery-"][data-type="webhook.test"][data-state="delivered"]').waitFor();

    // An alert raised in the server's database: the server's dispatcher fans it out and delivers it.
    const raised = await applyAlertSignals(prisma, [{
      ruleId: "status-liquidatable", subject: "account:e2e-1", raise: true, at: Date.now(), accountId: "e2e-1", value: 1.02, message: "margin ratio 102% ≥ 100%",
    }]);
    const row = page.locator('[data-testid^="delivery-"][data-type="alert.raised"]');
    await row.waitFor({ timeout: 30_000 });
    await expect.poll(() => row.getAttribute("data-state"), { timeout: 15_000 }).toBe("delivered");
    expect(await row.textContent()).toContain(`alert ${raised.raised[0]!.id}`);
    const delivered = rx.requests.find((r) => r.headers["liqdesk-event"] === "alert.raised")!;
    expect(verifyWebhookSignature({ secret, header: delivered.headers["liqdesk-signature"] as string, body: delivered.body }).ok).toBe(true);

    // Nothing wider than the screen: the log's rows are labelled blocks at this width.
    await page.screenshot({ path: screenshotPath("desk-webhooks-390"), fullPage: true });
    const wide = await page.evaluate(() => [...document.querySelectorAll("body *")]
      .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5)
      .map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].join(".")}[${e.getAttribute("data-testid") ?? ""}] right ${Math.round(e.getBoundingClientRect().right)}`)
      .slice(0, 10));
    expect(wide).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.screenshot({ path: screenshotPath("desk-webhooks-1280"), fullPage: true });
    expect(errors).toEqual([]);
  });
});
