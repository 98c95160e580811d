import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");

describe("server start-up", () => {
  it("PORT=abc fails fast with a message naming PORT, before starting anything", () => {
    const started = Date.now();
    const result = spawnSync(process.execPath, ["--import", "tsx", "--import", "./scripts/server-only-hook.mjs", "server.ts"], {
      cwd: ROOT, env: { ...process.env, PORT: "abc", LIQDESK_DATA_DIR: "/nonexistent/liqdesk" }, encoding: "utf8", timeout: 60_000,
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/PORT="abc"/);
    expect(result.stderr).not.toMatch(/embedded PostgreSQL/);
    expect(Date.now() - started).toBeLessThan(30_000);
  });
});
