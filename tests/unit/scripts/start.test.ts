import { spawn } from "node:child_process";
import { createServer } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const holder = createServer();
let port: number;

beforeAll(async () => {
  await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", resolve));
  port = (holder.address() as { port: number }).port;
});
afterAll(() => new Promise((r) => holder.close(r)));

/** `npm start`'s script (as package.json runs it), its exit code and output. */
function start(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", "--import", "./scripts/server-only-hook.mjs", "scripts/start.ts"], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.once("exit", (code) => resolve({ code, stdout, stderr })));
}

describe("npm start (scripts/start.ts)", () => {
  it("on a web port already in use: one line saying so and what to do, before any build or database", async () => {
    const run = await start({ PORT: String(port), HOST: "127.0.0.1" });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe(
      `liqdesk: port ${port} is in use (is Liqdesk already running? another program?): stop it, or start on another port: PORT=${port + 1} npm start\n`,
    );
  });

  it("on a bad setting: a message naming it, no stack trace", async () => {
    const run = await start({ PORT: "http" });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/^liqdesk: Invalid environment:\n {2}PORT="http": /);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
