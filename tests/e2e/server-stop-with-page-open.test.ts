import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { newDeskPage } from "../support/sign-in";
import { launchBrowser } from "../support/browser";
import { removeDataDir, startAppServer, type AppServer } from "../support/app-server";

describe("stopping the server while a desk page is open", () => {
  let server: AppServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startAppServer({ env: { LIQDESK_SIMULATOR: "on", LIQDESK_SIM_ACCOUNTS: "50", LIQDESK_SIM_TICK_MS: "250", LOG_LEVEL: "debug" } });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    if (server) removeDataDir(server.dataDir);
  });

  it(`SIGTERM with a page that keeps its keep-alive connection busy exits cleanly (status 0, "stopped" logged) well inside the 30 s shutdown deadline`, async () => {
    const page = await newDeskPage(browser, server, { viewport: { width: 1280, height: 800 } });
    await page.goto(`${server.url}/desk`);
    await page.getByTestId("market-BTC-PERP").getByTestId("mark").waitFor();
    // What the desk's periodic reads do, only more often: one connection that is never idle for long.
    await page.evaluate(() => {
      const poll = () => void fetch("/api/health").then((r) => r.text()).catch(() => undefined).finally(() => setTimeout(poll, 100));
      poll();
    });
    await new Promise((r) => setTimeout(r, 1_000));

    const started = Date.now();
    const code = await Promise.race([
      server.stop(),
      new Promise<"hung">((resolve) => setTimeout(() => resolve("hung"), 40_000)),
    ]);
    if (code === "hung") await server.kill();
    expect(code).toBe(0);
    expect(Date.now() - started).toBeLessThan(30_000); // past the deadline the server exits with status 1
    expect(server.output()).toMatch(/"msg":"stopped"/);
    const done = server.output().split("\n").filter((l) => l.includes("shutdown step done")).map((l) => (JSON.parse(l) as { step: string }).step);
    expect(done).toEqual(["simulator", "http and sockets", "engine", "database"]);
  });
});
