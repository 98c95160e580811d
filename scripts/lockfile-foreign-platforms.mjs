// Keeps package-lock.json valid for `npm ci` on every platform.
//
// The npm registry this project's build machines reach serves only some platforms' native
// packages (e.g. @next/swc-linux-x64-gnu but not @next/swc-darwin-arm64). `npm install` then
// leaves the unreachable optional packages out of package-lock.json, and `npm ci` refuses the
// lock as out of sync. This script adds a lock entry for each missing optional platform package
// (version from its parent's optionalDependencies, os/cpu/libc from its name), so `npm ci`
// accepts the lock and skips those packages as foreign to this platform, as it would anyway.
//
// Run after any `npm install` that changes the lock: `node scripts/lockfile-foreign-platforms.mjs`.
import { readFileSync, writeFileSync } from "node:fs";

const OSES = ["darwin", "win32", "linux", "android", "freebsd", "openbsd", "openharmony", "netbsd", "sunos", "aix"];
const CPUS = ["arm64", "x64", "arm", "ia32", "loong64", "ppc64", "riscv64", "s390x", "mips64el", "wasm32"];

function platformOf(name) {
  const parts = name.split("/").pop().split("-");
  const osIndex = parts.findIndex((p) => OSES.includes(p));
  if (osIndex < 0) return null;
  const cpu = parts.slice(osIndex + 1).find((p) => CPUS.includes(p));
  if (!cpu) return null;
  const libc = parts.includes("musl") || parts.includes("musleabihf") ? "musl"
    : parts.includes("gnu") || parts.includes("gnueabihf") ? "glibc" : null;
  return { os: [parts[osIndex]], cpu: [cpu], ...(libc && parts[osIndex] === "linux" ? { libc: [libc] } : {}) };
}

const lockPath = new URL("../package-lock.json", import.meta.url);
const lock = JSON.parse(readFileSync(lockPath, "utf8"));
const packages = lock.packages;
let added = 0;
for (const [path, meta] of Object.entries(packages)) {
  for (const [dep, range] of Object.entries(meta.optionalDependencies ?? {})) {
    const nested = `${path ? `${path}/` : ""}node_modules/${dep}`;
    if (packages[nested] || packages[`node_modules/${dep}`]) continue;
    const platform = platformOf(dep);
    if (!platform) continue;
    packages[`node_modules/${dep}`] = { version: range.replace(/^[\^~=]/, ""), optional: true, ...platform };
    added++;
  }
}
const sorted = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a < b ? -1 : a > b ? 1 : 0)));
lock.packages = sorted;
writeFileSync(lockPath, JSON.stringify(lock, null, 2) + "\n");
console.log(`lockfile: ${added} foreign-platform optional package(s) recorded`);
