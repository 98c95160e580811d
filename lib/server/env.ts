import "server-only";
import { z } from "zod";
import { BOUNDS } from "@/lib/risk/bounds";

/** Spec §7's default `maxClockSkewMs`, in ms (LIQDESK_MAX_CLOCK_SKEW_MS). */
export const DEFAULT_MAX_CLOCK_SKEW_MS = 5000;

const onOff = z.enum(["on", "off"]);
const port = z.coerce.number().int().min(1).max(65535);

/** Every environment variable Liqdesk reads, parsed once. Nothing else reads process.env. */
const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: port.default(3000),
  HOST: z.string().min(1).default("0.0.0.0"),
  /** External PostgreSQL. Unset: an embedded PostgreSQL is started under LIQDESK_DATA_DIR. */
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  LIQDESK_DATA_DIR: z.string().min(1).default(".data"),
  LIQDESK_PG_PORT: port.default(54329),
  LIQDESK_SIMULATOR: onOff.default("on"),
  /** Interval between two simulated price ticks of one source of one market. */
  LIQDESK_SIM_TICK_MS: z.coerce.number().int().min(10).max(60_000).default(500),
  LIQDESK_SIM_SEED: z.coerce.number().int().default(20261122),
  /** Demo accounts the simulator creates on a first start (through the ingest path). */
  LIQDESK_SIM_ACCOUNTS: z.coerce.number().int().min(0).max(1_000_000).default(2000),
  /** `off`: monitor-only — executed liquidations arrive from the venue as position updates. */
  LIQDESK_EXECUTION: onOff.default("on"),
  /** How often the simulated venue looks for due liquidation steps. */
  LIQDESK_EXECUTOR_INTERVAL_MS: z.coerce.number().int().min(10).max(60_000).default(250),
  /** Capital paid into the insurance fund on a first start (decimal USD). */
  LIQDESK_INSURANCE_FUND_SEED: z.string().regex(/^\d{1,20}(\.\d{1,18})?$/, "a non-negative decimal").default("250000"),
  /** Cadence of margin snapshots of changed accounts (history charts). */
  LIQDESK_SNAPSHOT_MS: z.coerce.number().int().min(100).max(3_600_000).default(5000),
  /** When set, every accepted ingest batch is appended to this ndjson file (npm run replay plays it). */
  LIQDESK_RECORD_FILE: z.string().min(1).optional(),
  /** A price source older than this no longer counts towards the mark (spec §7). */
  LIQDESK_STALE_AFTER_MS: z.coerce.number().int().min(100).default(10_000),
  /**
   * maxClockSkewMs (spec §7): a price tick dated more than this ahead of the server's clock is
   * refused (0 to 10 minutes).
   */
  LIQDESK_MAX_CLOCK_SKEW_MS: z.coerce.number().int("a whole number of milliseconds").min(0).max(600_000).default(DEFAULT_MAX_CLOCK_SKEW_MS),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Signs session cookies. Unset: generated once and kept in LIQDESK_DATA_DIR/auth-secret. */
  LIQDESK_AUTH_SECRET: z.string().min(32, "at least 32 characters").optional(),
  /** The address users reach Liqdesk at (OIDC callbacks, allowed origin). Unset: http://localhost:PORT and http://127.0.0.1:PORT. */
  LIQDESK_PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** Seed a desk user and two traders on a first start (printed in the start-up log). */
  LIQDESK_DEMO_USERS: onOff.default("on"),
  LIQDESK_DEMO_PASSWORD: z.string().min(8, "at least 8 characters").max(128).default("liqdesk-demo"),
  /** An OpenID Connect provider, enabled when all three are set ("Sign in with LIQDESK_OIDC_NAME"). */
  LIQDESK_OIDC_DISCOVERY_URL: z.url({ protocol: /^https?$/ }).optional(),
  LIQDESK_OIDC_CLIENT_ID: z.string().min(1).optional(),
  LIQDESK_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  LIQDESK_OIDC_NAME: z.string().min(1).max(40).default("SSO"),
  /** Bearer token Prometheus sends to GET /api/metrics. Unset: /api/metrics answers 401 to everyone. */
  LIQDESK_METRICS_TOKEN: z.string().min(24, "at least 24 characters").optional(),
  /** Largest manual top-up (USD), at most the largest collateral movement (lib/risk/bounds.ts). */
  LIQDESK_TOPUP_MAX: z.string().regex(/^\d{1,20}(\.\d{1,6})?$/, "a positive decimal with at most 6 decimals").default("1000000")
    .refine((v) => Number(v) > 0, "must be > 0")
    .refine((v) => Number(v) <= BOUNDS.amount.maxAbs, `must be at most ${BOUNDS.amount.maxAbs}`),
  /** Top-ups a user may submit per minute (all instances together). */
  LIQDESK_TOPUP_RATE_LIMIT: z.coerce.number().int().min(1).max(100_000).default(30),
  /** Sign-in attempts per client address per minute. */
  LIQDESK_SIGNIN_RATE_LIMIT: z.coerce.number().int().min(1).max(100_000).default(10),
  /** Threads computing what-ifs (`POST /api/v1/risk/evaluate`) at once, off the main thread (docs/PERFORMANCE.md, "Health under what-if load"). */
  LIQDESK_WHATIF_WORKERS: z.coerce.number().int().min(1).max(64).default(1),
  /** What-ifs (and desk stress runs) waiting for a thread beyond those running; more are refused (503 `busy`, Retry-After). */
  LIQDESK_WHATIF_QUEUE: z.coerce.number().int().min(0).max(1000).default(4),
  /** What-ifs and stress runs one user may have running or waiting at once (more: 429 `rate_limited`). */
  LIQDESK_WHATIF_PER_USER: z.coerce.number().int().min(1).max(100).default(1),
  /** What-ifs and stress runs one user may send per minute (all instances together; more: 429 `rate_limited`). */
  LIQDESK_WHATIF_RATE_LIMIT: z.coerce.number().int().min(1).max(100_000).default(30),
  /** A what-if running longer is stopped (503 `whatif_failed`). */
  LIQDESK_WHATIF_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(60_000),
  /** Heap limit of each what-if thread, MB: a what-if needing more is refused (413) and only its thread dies. */
  LIQDESK_WHATIF_MEMORY_MB: z.coerce.number().int().min(32).max(65_536).default(1024),
  /** Alert webhooks (docs/WEBHOOKS.md): `off` sends nothing (deliveries wait in PostgreSQL). */
  LIQDESK_WEBHOOKS: onOff.default("on"),
  /** A webhook request without a complete answer within this is a failed attempt. */
  LIQDESK_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
  /** Webhook requests in flight at once (all webhooks together). */
  LIQDESK_WEBHOOK_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  /** Attempts of one delivery before it is given up (dead). */
  LIQDESK_WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(8),
  /** The wait after a delivery's first failed attempt; it doubles with each further one (±20%), at most an hour. */
  LIQDESK_WEBHOOK_BACKOFF_MS: z.coerce.number().int().min(10).max(3_600_000).default(5000),
  /** Failed attempts in a row after which a webhook is disabled (and a "webhook-disabled" alert raised). */
  LIQDESK_WEBHOOK_FAILURE_LIMIT: z.coerce.number().int().min(1).max(1000).default(10),
  /** How often the dispatcher looks for new alert events and due deliveries. */
  LIQDESK_WEBHOOK_POLL_MS: z.coerce.number().int().min(20).max(60_000).default(500),
  /**
   * Several instances (docs/SCALING.md): socket fan-out through this Redis, and the engine on
   * whichever instance holds the engine lock in PostgreSQL. Unset: one instance, the engine always here.
   */
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
  /** Prefix of the Redis channels of one deployment (instances of one deployment share it, other deployments must not). */
  LIQDESK_REDIS_CHANNEL: z.string().regex(/^[A-Za-z0-9:_.-]{1,100}$/, "letters, digits and : _ . - (at most 100)").default("liqdesk"),
  /** Where the other instances reach this one (forwarded requests, snapshots). Unset: http://127.0.0.1:PORT (one host only). */
  LIQDESK_INTERNAL_URL: z.url({ protocol: /^https?$/ }).optional(),
}).superRefine((v, ctx) => {
  if (v.REDIS_URL !== undefined) {
    // Instances share the database, and sessions signed by one must verify on every other.
    if (v.DATABASE_URL === undefined) ctx.addIssue({ code: "custom", path: ["DATABASE_URL"], message: "required when REDIS_URL is set (every instance uses the same PostgreSQL)" });
    if (v.LIQDESK_AUTH_SECRET === undefined) ctx.addIssue({ code: "custom", path: ["LIQDESK_AUTH_SECRET"], message: "required when REDIS_URL is set (the same on every instance)" });
    // Requests reach the leader from any instance: the address users reach (the load balancer's) is the one allowed.
    if (v.LIQDESK_PUBLIC_URL === undefined) ctx.addIssue({ code: "custom", path: ["LIQDESK_PUBLIC_URL"], message: "required when REDIS_URL is set (the load balancer's address, the same on every instance)" });
  }
  const oidc = ["LIQDESK_OIDC_DISCOVERY_URL", "LIQDESK_OIDC_CLIENT_ID", "LIQDESK_OIDC_CLIENT_SECRET"] as const;
  const set = oidc.filter((k) => v[k] !== undefined);
  if (set.length > 0 && set.length < oidc.length) {
    for (const k of oidc.filter((k) => v[k] === undefined)) {
      ctx.addIssue({ code: "custom", path: [k], message: `required when ${set.join(", ")} ${set.length === 1 ? "is" : "are"} set` });
    }
  }
});

export type Env = z.infer<typeof envSchema>;

export class EnvError extends Error {
  constructor(readonly variables: string[], message: string) {
    super(message);
    this.name = "EnvError";
  }
}

/** Parses an environment; an invalid value throws an EnvError naming each bad variable. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  // An empty string means "unset" for optional settings, as shells make it easy to write FOO=.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== ""));
  const result = envSchema.safeParse(cleaned);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const name = String(issue.path[0] ?? "environment");
    return `${name}=${JSON.stringify(source[name] ?? "")}: ${issue.message}`;
  });
  const names = [...new Set(result.error.issues.map((i) => String(i.path[0])))];
  throw new EnvError(names, `Invalid environment:\n  ${lines.join("\n  ")}`);
}

let cached: Env | undefined;

/** The process environment, parsed on first use. */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
