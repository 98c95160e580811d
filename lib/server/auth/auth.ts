import "server-only";
import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { createAuthMiddleware } from "better-auth/api";
import { genericOAuth } from "better-auth/plugins/generic-oauth";
import type { Env } from "../env";
import type { Logger } from "../logger";
import type { PrismaClient } from "../db/prisma-client";
import { allowedHosts } from "./site-origin";

/** Where better-auth's own endpoints live (sign-in, sign-out, session, OIDC callback). */
export const AUTH_BASE_PATH = "/api/auth";
/** The id of the OIDC provider when one is configured (sign-in `/api/auth/sign-in/social`, callback `/api/auth/callback/oidc`). */
export const OIDC_PROVIDER_ID = "oidc";
/**
 * The client's address as server.ts saw the TCP connection (it overwrites any value a client
 * sent): the sign-in rate limiter keys on it.
 */
export const CLIENT_IP_HEADER = "x-liqdesk-client-ip";
const SESSION_DAYS = 7;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * better-auth's answer to a browser without any session token: it is in the HttpOnly cookie
 * only, out of reach of any script. Every `token` field of the answer goes, however deep: sign-in
 * answers `{ redirect, url, user }`, get-session `{ session, user }` without `session.token`,
 * list-sessions each session without its `token` (so `/revoke-session`, which takes one, cannot be
 * fed from it: nothing in the app calls it; the UI signs out only). Calls made inside the server
 * (no request) keep it. Null when the answer has no token.
 */
export function withoutSessionToken(_path: string, returned: unknown): Record<string, unknown> | unknown[] | null {
  let removed = false;
  const strip = (value: unknown, depth: number): unknown => {
    if (depth > 6) return value;
    if (Array.isArray(value)) return value.map((v) => strip(v, depth + 1));
    if (!isRecord(value)) return value;
    return Object.fromEntries(Object.entries(value).flatMap(([key, v]) => {
      if (key === "token") {
        removed = true;
        return [];
      }
      return [[key, strip(v, depth + 1)]];
    }));
  };
  if (!isRecord(returned) && !Array.isArray(returned)) return null;
  const body = strip(returned, 0) as Record<string, unknown> | unknown[];
  return removed ? body : null;
}

/**
 * better-auth endpoints the app has no use for, answered 404: a user's name, email and account
 * are the desk's to set (`npm run user`), not a signed-in user's (an unbounded `name` was accepted).
 */
export const DISABLED_AUTH_PATHS = ["/update-user", "/change-email", "/delete-user", "/delete-user/callback"];

export function oidcEnabled(env: Env): boolean {
  return Boolean(env.LIQDESK_OIDC_DISCOVERY_URL && env.LIQDESK_OIDC_CLIENT_ID && env.LIQDESK_OIDC_CLIENT_SECRET);
}

/**
 * better-auth over Prisma: email + password (scrypt, better-auth's memory-hard default) with
 * sign-up closed (users are made by the seed or `npm run user`), sessions in PostgreSQL, the
 * sign-in rate limiter in PostgreSQL, an OIDC provider when configured, telemetry off.
 */
export function createAuth(options: { prisma: PrismaClient; env: Env; secret: string; log: Logger }) {
  const { prisma, env, secret, log } = options;
  return betterAuth({
    appName: "Liqdesk",
    secret,
    baseURL: env.LIQDESK_PUBLIC_URL ?? { allowedHosts: allowedHosts(env), protocol: "http" },
    basePath: AUTH_BASE_PATH,
    disabledPaths: DISABLED_AUTH_PATHS,
    database: prismaAdapter(prisma, { provider: "postgresql" }),
    telemetry: { enabled: false },
    emailAndPassword: { enabled: true, disableSignUp: true, minPasswordLength: 8 },
    user: {
      modelName: "user",
      additionalFields: { role: { type: ["desk", "trader"], required: false, defaultValue: "trader", input: false } },
    },
    account: { modelName: "authAccount" },
    session: { modelName: "session", expiresIn: SESSION_DAYS * 86_400, updateAge: 86_400 },
    verification: { modelName: "verification" },
    rateLimit: {
      enabled: true,
      storage: "database",
      modelName: "rateLimit",
      window: 60,
      max: 600,
      customRules: { "/sign-in/*": { window: 60, max: env.LIQDESK_SIGNIN_RATE_LIMIT } },
    },
    hooks: {
      after: createAuthMiddleware(async (ctx) => {
        if (!ctx.request) return;
        const body = withoutSessionToken(ctx.path, ctx.context.returned);
        if (body) return ctx.json(body);
      }),
    },
    advanced: { cookiePrefix: "liqdesk", ipAddress: { ipAddressHeaders: [CLIENT_IP_HEADER] } },
    logger: {
      level: "warn",
      log: (level, message, ...args) => log[level === "debug" ? "debug" : level]({ auth: args.length ? args : undefined }, message),
    },
    plugins: oidcEnabled(env) ? [genericOAuth({
      config: [{
        providerId: OIDC_PROVIDER_ID,
        name: env.LIQDESK_OIDC_NAME,
        discoveryUrl: env.LIQDESK_OIDC_DISCOVERY_URL!,
        clientId: env.LIQDESK_OIDC_CLIENT_ID!,
        clientSecret: env.LIQDESK_OIDC_CLIENT_SECRET!,
        scopes: ["openid", "email", "profile"],
        pkce: true,
      }],
    })] : [],
  });
}

export type LiqdeskAuth = ReturnType<typeof createAuth>;
