/**
 * `npm start`: checks that the web port is free, builds the Next.js app when the build is missing
 * or older than its sources (showing progress: a first build takes one to two minutes), then
 * serves the production build from server.ts in this same process.
 *
 * package.json runs it with `exec node …`, so that this process is the one npm signals: `kill` of
 * npm's pid reaches server.ts's orderly shutdown (which stops the embedded PostgreSQL), and during
 * the build it stops the build too.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { env, EnvError } from "@/lib/server/env";
import { portInUse, webPortTaken } from "@/lib/server/port-in-use";

const BUILD_INPUTS = ["app", "components", "lib", "public", "next.config.js", "tsconfig.json", "package-lock.json"];
const STAMP = ".next/liqdesk-build-inputs.sha256";
/** Say "still building" after this long without a line from the build. */
const QUIET_MS = 15_000;

function hashInputs(root: string): string {
  const hash = createHash("sha256");
  const visit = (p: string) => {
    if (!existsSync(p)) return;
    const st = statSync(p);
    if (st.isDirectory()) {
      for (const name of readdirSync(p).sort()) visit(path.join(p, name));
    } else {
      hash.update(path.relative(root, p)).update("\0").update(readFileSync(p)).update("\0");
    }
  };
  for (const input of BUILD_INPUTS) visit(path.join(root, input));
  return hash.digest("hex");
}

function fail(message: string, status = 1): never {
  console.error(`liqdesk: ${message}`);
  process.exit(status);
}

/**
 * `next build`, its output passed through, a line every QUIET_MS of silence (its longest step,
 * compiling, prints nothing for most of a minute). In its own process group, so that SIGINT or
 * SIGTERM to this process stops the whole build (Next's workers included) and then this process.
 */
async function build(): Promise<void> {
  const started = Date.now();
  console.log("liqdesk: building the web app (first start, or its sources changed): about 1–2 minutes…");
  const nextCli = createRequire(import.meta.url).resolve("next/dist/bin/next");
  const child = spawn(process.execPath, [nextCli, "build"], {
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
  });
  let lastOutput = Date.now();
  child.stdout.on("data", (chunk: Buffer) => ((lastOutput = Date.now()), process.stdout.write(chunk)));
  child.stderr.on("data", (chunk: Buffer) => ((lastOutput = Date.now()), process.stderr.write(chunk)));
  const ticker = setInterval(() => {
    if (Date.now() - lastOutput < QUIET_MS) return;
    lastOutput = Date.now();
    console.log(`liqdesk: still building… ${Math.round((Date.now() - started) / 1000)} s`);
  }, 1_000);
  const stop = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // already gone
    }
    child.once("exit", () => {
      console.error(`liqdesk: build stopped (${signal})`);
      process.exit(signal === "SIGINT" ? 130 : 143);
    });
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.once("exit", (c, s) => resolve([c, s])));
  clearInterval(ticker);
  process.off("SIGINT", stop);
  process.off("SIGTERM", stop);
  if (code !== 0) fail(`\`next build\` failed (${code ?? signal}); see above`);
  console.log(`liqdesk: web app built in ${Math.round((Date.now() - started) / 1000)} s`);
}

// Before the environment is parsed (env() parses it once): this process serves the production build.
Object.assign(process.env, { NODE_ENV: "production" });
let config;
try {
  config = env();
} catch (error) {
  if (error instanceof EnvError) fail(error.message, 2);
  throw error;
}
// Before a build of a minute or two, not after it.
if (await portInUse(config.PORT, config.HOST)) fail(webPortTaken(config.PORT).message);
const root = process.cwd();
const inputs = hashInputs(root);
if (!(existsSync(".next/BUILD_ID") && existsSync(STAMP) && readFileSync(STAMP, "utf8") === inputs)) {
  await build();
  writeFileSync(STAMP, inputs);
}
await import("../server");
