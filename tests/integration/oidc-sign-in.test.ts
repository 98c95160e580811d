import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAuth, OIDC_PROVIDER_ID } from "@/lib/server/auth/auth";
import { parseEnv } from "@/lib/server/env";
import { createLogger } from "@/lib/server/logger";
import { freePort } from "../support/free-port";
import { createTestDatabase, type TestDatabase } from "../support/test-database";

/**
 * OIDC configured by environment: a local identity provider publishes its discovery document;
 * signing in with it answers the provider's authorization URL (code flow with PKCE) and keeps the
 * flow's state in PostgreSQL. Without the variables the provider does not exist.
 */
describe("OIDC sign-in configured by environment", () => {
  let db: TestDatabase;
  let idp: Server;
  let issuer: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    const port = await freePort();
    issuer = `http://127.0.0.1:${port}`;
    idp = createServer((req, res) => {
      if (req.url === "/.well-known/openid-configuration") {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({
          issuer, authorization_endpoint: `${issuer}/authorize`, token_endpoint: `${issuer}/token`,
          userinfo_endpoint: `${issuer}/userinfo`, jwks_uri: `${issuer}/jwks`,
          response_types_supported: ["code"], subject_types_supported: ["public"], id_token_signing_alg_values_supported: ["RS256"],
        }));
        return;
      }
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => idp.listen(port, "127.0.0.1", resolve));
  });
  afterAll(async () => {
    await new Promise((resolve) => idp?.close(resolve));
    await db?.drop();
  });

  const signInWithOidc = (env: Record<string, string>) => {
    const auth = createAuth({ prisma: db.prisma, env: parseEnv({ LOG_LEVEL: "silent", ...env }), secret: "oidc-test-secret-oidc-test-secret", log: createLogger("silent") });
    return auth.handler(new Request("http://localhost:3000/api/auth/sign-in/social", {
      method: "POST", headers: { "content-type": "application/json", origin: "http://localhost:3000" },
      body: JSON.stringify({ provider: OIDC_PROVIDER_ID, callbackURL: "/" }),
    }));
  };

  it("with the three variables set, sign-in answers the provider's authorization URL with PKCE", async () => {
    const res = await signInWithOidc({
      LIQDESK_OIDC_DISCOVERY_URL: `${issuer}/.well-known/openid-configuration`, LIQDESK_OIDC_CLIENT_ID: "liqdesk", LIQDESK_OIDC_CLIENT_SECRET: "s3cret",
    });
    expect(res.status).toBe(200);
    const url = new URL(((await res.json()) as { url: string }).url);
    expect(`${url.origin}${url.pathname}`).toBe(`${issuer}/authorize`);
    expect(url.searchParams.get("client_id")).toBe("liqdesk");
    expect(url.searchParams.get("response_type")).toBe("code");
    expect(url.searchParams.get("code_challenge_method")).toBe("S256");
    expect(url.searchParams.get("redirect_uri")).toBe("http://localhost:3000/api/auth/callback/oidc");
    expect(url.searchParams.get("scope")?.split(" ")).toEqual(expect.arrayContaining(["openid", "email", "profile"]));
  });

  it("without them there is no such provider", async () => {
    const res = await signInWithOidc({});
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(JSON.stringify(await res.json())).toMatch(/not found|PROVIDER_NOT_FOUND/i);
  });
});
