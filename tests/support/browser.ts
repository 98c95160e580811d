import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { chromium, type Browser, type Locator } from "playwright-core";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const ARTIFACTS = path.resolve(import.meta.dirname, "../../artifacts");

/** Debian's Chromium, headless, with nothing that reaches outside this machine. */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium (npm test does this as root)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
      "--disable-sync", "--no-first-run", "--disable-quic"],
  });
}

/** Where a test saves a screenshot: artifacts/screenshots/<name>.png. */
export function screenshotPath(name: string): string {
  const dir = path.join(ARTIFACTS, "screenshots");
  mkdirSync(dir, { recursive: true });
  return path.join(dir, `${name}.png`);
}

/**
 * Waits until a chart's line path has at least one segment. Not `waitFor()` (visible): a level line
 * (two equal marks) has a zero-height box, which Playwright counts as hidden though a user sees it.
 */
export async function waitForDrawnLine(line: Locator, timeout = 30_000): Promise<void> {
  await line.waitFor({ state: "attached", timeout });
  const deadline = Date.now() + timeout;
  while (!/^M[-\d.]+,[-\d.]+L/.test((await line.getAttribute("d")) ?? "")) {
    if (Date.now() > deadline) throw new Error(`no segment drawn in ${await line.evaluate((e) => e.outerHTML)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
