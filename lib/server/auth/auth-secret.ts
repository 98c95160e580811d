import "server-only";
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Env } from "../env";

const SECRET_FILE = "auth-secret";

/**
 * The secret that signs session cookies: LIQDESK_AUTH_SECRET when set (required for several
 * instances), else one generated on the first start and kept in LIQDESK_DATA_DIR/auth-secret
 * (mode 0600), so that sessions survive restarts of the single-machine default.
 */
export function resolveAuthSecret(env: Env): { secret: string; source: "env" | "file" | "generated"; file?: string } {
  if (env.LIQDESK_AUTH_SECRET) return { secret: env.LIQDESK_AUTH_SECRET, source: "env" };
  const file = path.resolve(env.LIQDESK_DATA_DIR, SECRET_FILE);
  try {
    const secret = readFileSync(file, "utf8").trim();
    if (secret.length >= 32) return { secret, source: "file", file };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const secret = randomBytes(32).toString("base64url");
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return { secret, source: "generated", file };
}
