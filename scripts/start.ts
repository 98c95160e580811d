/**
 * `npm start`: builds the Next.js app when the build is missing or older than its sources, then
 * serves the production build from server.ts.
 */
import { createHash } from "node:crypto";
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

const BUILD_INPUTS = ["app", "components", "lib", "public", "next.config.js", "tsconfig.json", "package-lock.json"];
const STAMP = ".next/liqdesk-build-inputs.sha256";

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

const root = process.cwd();
const inputs = hashInputs(root);
const built = existsSync(".next/BUILD_ID") && existsSync(STAMP) && readFileSync(STAMP, "utf8") === inputs;
if (!built) {
  console.log("liqdesk: building the web app (first start, or its sources changed)…");
  const result = spawnSync("npx", ["next", "build"], { stdio: "inherit", env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" } });
  if (result.status !== 0) {
    console.error("liqdesk: `next build` failed; see above");
    process.exit(result.status ?? 1);
  }
  writeFileSync(STAMP, inputs);
}
Object.assign(process.env, { NODE_ENV: "production" });
await import("../server");
