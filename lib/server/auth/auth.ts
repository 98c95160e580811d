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
 * better-auth's answer to a browser without the session token: it is in the HttpOnly cookie
 * only, out of reach of any script. Sign-in answers `{ redirect, url, user }`, get-session
 * `{ session, user }` without `session.token`. Calls made inside the server (no request) keep it.
 */
export function withoutSessionToken(path: string, returned: unknown): Record<string, unknown> | null {
  if (!isRecord(returned)) return null;
  const omitToken = (record: Record<string, unknown>) => Object.fromEntries(Object.entries(record).filter(([key]) => key !== "token"));
  if (path.startsWith("/sign-in/") && "token" in returned) return omitToken(returned);
  if (path === "/get-session" && isRecord(returned.session) && "token" in returned.session) return { ...returned, session: omitToken(returned.session) };
  return null;
}

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
