import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { isInputError } from "@/lib/contracts/api-error";
import { createPrismaClient } from "@/lib/server/db/prisma-client";
import {
  createIngestToken,
  listIngestTokens,
  revokeIngestToken,
  VERIFY_CACHE_MS,
  verifyIngestToken,
} from "@/lib/server/ingest/ingest-tokens";
import { createTestDatabase, type TestDatabase } from "../support/test-database";

describe("ingest tokens", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db?.drop());

  it("a created token verifies, and only its SHA-256 is stored", async () => {
    const { token, name, id } = await createIngestToken(db.prisma, "venue-a");
    expect(token).toMatch(/^lqd_[A-Za-z0-9_-]{43}$/);
    expect(await verifyIngestToken(db.prisma, `Bearer ${token}`)).toEqual({ id, name });
    expect(await verifyIngestToken(db.prisma, `bearer ${token}`)).toEqual({ id, name });
    const row = await db.prisma.ingestToken.findUniqueOrThrow({ where: { id } });
    expect(row.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.tokenHash).not.toContain(token.slice(4));
    const audit = await db.prisma.auditLog.findMany({ where: { action: "ingest_token.create" } });
    expect(audit).toHaveLength(1);
  });

  it("a missing, malformed or wrong token does not verify", async () => {
    const { token } = await createIngestToken(db.prisma, "venue-b");
    const wrong = token.slice(0, -1) + (token.endsWith("A") ? "B" : "A");
    for (const header of [null, "", token, `Basic ${token}`, `Bearer ${wrong}`, "Bearer lqd_short", `Bearer ${token} extra`]) {
      expect(await verifyIngestToken(db.prisma, header)).toBeNull();
    }
  });

  it("a revoked token does not verify, at once in this process", async () => {
    const { token } = await createIngestToken(db.prisma, "venue-c");
    expect(await verifyIngestToken(db.prisma, `Bearer ${token}`)).not.toBeNull();
    expect(await revokeIngestToken(db.prisma, "venue-c")).toBe(1);
    expect(await verifyIngestToken(db.prisma, `Bearer ${token}`)).toBeNull();
    expect((await listIngestTokens(db.prisma)).find((t) => t.name === "venue-c")?.revokedAt).toBeInstanceOf(Date);
  });

  it("a token revoked by another process stops working within the cache time", async () => {
    const { token } = await createIngestToken(db.prisma, "venue-d");
    expect(await verifyIngestToken(db.prisma, `Bearer ${token}`)).not.toBeNull();
    const other = createPrismaClient(db.url, { maxConnections: 1 });
    try {
      expect(await revokeIngestToken(other, "venue-d")).toBe(1);
    } finally {
      await other.$disconnect();
    }
    const now = Date.now();
    const clock = vi.spyOn(Date, "now").mockReturnValue(now + VERIFY_CACHE_MS + 1);
    try {
      expect(await verifyIngestToken(db.prisma, `Bearer ${token}`)).toBeNull();
    } finally {
      clock.mockRestore();
    }
  });

  it("a second active token of the same name is refused; a revoked name can be reused", async () => {
    await createIngestToken(db.prisma, "venue-e");
    const error = await createIngestToken(db.prisma, "venue-e").catch((e: unknown) => e);
    expect(isInputError(error) && error.fields[0]?.path).toBe("name");
    await revokeIngestToken(db.prisma, "venue-e");
    const again = await createIngestToken(db.prisma, "venue-e");
    expect(await verifyIngestToken(db.prisma, `Bearer ${again.token}`)).toEqual({ id: again.id, name: "venue-e" });
  });
});
