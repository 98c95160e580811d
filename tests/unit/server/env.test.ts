import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "@/lib/server/env";

describe("environment", () => {
  it("an empty environment gives the documented defaults", () => {
    const env = parseEnv({});
    expect(env.PORT).toBe(3000);
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.LIQDESK_SIMULATOR).toBe("on");
    expect(env.LIQDESK_STALE_AFTER_MS).toBe(10_000);
    expect(env.LIQDESK_MAX_CLOCK_SKEW_MS).toBe(5000);
  });

  it("LIQDESK_MAX_CLOCK_SKEW_MS (spec §7 maxClockSkewMs) takes whole milliseconds from 0 to 10 minutes", () => {
    expect(parseEnv({ LIQDESK_MAX_CLOCK_SKEW_MS: "250" }).LIQDESK_MAX_CLOCK_SKEW_MS).toBe(250);
    for (const bad of ["-1", "1.5", "abc", "600001"]) {
      try {
        parseEnv({ LIQDESK_MAX_CLOCK_SKEW_MS: bad });
        expect.unreachable();
      } catch (error) {
        expect((error as EnvError).variables).toEqual(["LIQDESK_MAX_CLOCK_SKEW_MS"]);
        expect((error as EnvError).message).toContain(`LIQDESK_MAX_CLOCK_SKEW_MS="${bad}"`);
      }
    }
  });

  it("PORT=abc is rejected with a message naming PORT", () => {
    expect(() => parseEnv({ PORT: "abc" })).toThrow(EnvError);
    try {
      parseEnv({ PORT: "abc" });
    } catch (error) {
      expect((error as EnvError).variables).toEqual(["PORT"]);
      expect((error as EnvError).message).toContain('PORT="abc"');
    }
  });

  it("every bad variable is named at once", () => {
    try {
      parseEnv({ PORT: "70000", LIQDESK_SIMULATOR: "maybe", DATABASE_URL: "mysql://x/y" });
      expect.unreachable();
    } catch (error) {
      expect((error as EnvError).variables.sort()).toEqual(["DATABASE_URL", "LIQDESK_SIMULATOR", "PORT"]);
    }
  });

  it("a postgres DATABASE_URL is accepted and an empty one means unset", () => {
    expect(parseEnv({ DATABASE_URL: "postgresql://u@127.0.0.1:5432/db" }).DATABASE_URL).toBe("postgresql://u@127.0.0.1:5432/db");
    expect(parseEnv({ DATABASE_URL: "" }).DATABASE_URL).toBeUndefined();
  });

  it("an OIDC provider needs all three of its variables; the others are named", () => {
    try {
      parseEnv({ LIQDESK_OIDC_CLIENT_ID: "liqdesk" });
      expect.unreachable();
    } catch (error) {
      expect((error as EnvError).variables.sort()).toEqual(["LIQDESK_OIDC_CLIENT_SECRET", "LIQDESK_OIDC_DISCOVERY_URL"]);
    }
    const env = parseEnv({ LIQDESK_OIDC_CLIENT_ID: "liqdesk", LIQDESK_OIDC_CLIENT_SECRET: "s", LIQDESK_OIDC_DISCOVERY_URL: "https://id.example/.well-known/openid-configuration" });
    expect(env.LIQDESK_OIDC_NAME).toBe("SSO");
  });

  it("top-up limits: a maximum with more than 6 decimals or a short auth secret is refused", () => {
    expect(() => parseEnv({ LIQDESK_TOPUP_MAX: "1.1234567" })).toThrow(/LIQDESK_TOPUP_MAX/);
    expect(() => parseEnv({ LIQDESK_AUTH_SECRET: "short" })).toThrow(/LIQDESK_AUTH_SECRET/);
    expect(parseEnv({}).LIQDESK_TOPUP_MAX).toBe("1000000");
  });

  it("REDIS_URL (several instances) needs the shared database, auth secret and public address, each named", () => {
    try {
      parseEnv({ REDIS_URL: "redis://127.0.0.1:6379" });
      expect.unreachable();
    } catch (error) {
      expect((error as EnvError).variables.sort()).toEqual(["DATABASE_URL", "LIQDESK_AUTH_SECRET", "LIQDESK_PUBLIC_URL"]);
      expect((error as EnvError).message).toContain("required when REDIS_URL is set");
    }
    const env = parseEnv({
      REDIS_URL: "redis://127.0.0.1:6379", DATABASE_URL: "postgresql://u@h/db", LIQDESK_AUTH_SECRET: "x".repeat(32), LIQDESK_PUBLIC_URL: "https://desk.example",
    });
    expect(env.LIQDESK_REDIS_CHANNEL).toBe("liqdesk");
    expect(env.LIQDESK_INTERNAL_URL).toBeUndefined();
    expect(() => parseEnv({ REDIS_URL: "http://x" })).toThrow(/REDIS_URL/);
  });
});
