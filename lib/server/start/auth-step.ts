import type { Env } from "../env";
import type { Logger } from "../logger";
import type { PrismaClient } from "../db/prisma-client";
import { createAuth, type LiqdeskAuth } from "../auth/auth";
import { resolveAuthSecret } from "../auth/auth-secret";
import { setAuth } from "../auth/auth-registry";
import { createDemoUsers } from "../auth/seed-demo-users";

/** better-auth with its secret (generated on a first start), registered for the routes; the demo users on a first start. */
export async function startAuth(config: Env, log: Logger, prisma: PrismaClient): Promise<{ auth: LiqdeskAuth; secret: string }> {
  const secret = resolveAuthSecret(config);
  if (secret.source === "generated") log.info({ file: secret.file }, "first start: generated the auth secret (LIQDESK_AUTH_SECRET overrides it)");
  const auth = createAuth({ prisma, env: config, secret: secret.secret, log });
  setAuth(auth);
  if (config.LIQDESK_DEMO_USERS === "on" && await createDemoUsers(prisma, config.LIQDESK_DEMO_PASSWORD)) {
    log.info("first start: demo users created (LIQDESK_DEMO_USERS=off for none)");
  }
  return { auth, secret: secret.secret };
}
