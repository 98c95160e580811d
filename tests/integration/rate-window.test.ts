// The per-user limits (top-ups, what-ifs) in PostgreSQL: a window opens at a key's first request.
// With windows fixed to the clock, 2 × max got through in a burst straddling a minute boundary (and
// the top-up test failed whenever its 27 requests crossed one).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { consumeRateWindow } from "@/lib/server/rate-window";
import { createTestDatabase, type TestDatabase } from "../support/test-database";

const MINUTE = 60_000;

describe("consumeRateWindow", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  /** The HTTP status of one request of `key` at `at` (201: counted). */
  const attempt = (key: string, at: number, max = 5) =>
    consumeRateWindow(db.prisma, key, max, MINUTE, "tries", at).then(() => 201, (e: { status?: number }) => e.status ?? 500);

  it("a burst straddling a minute boundary gets max, not twice max", async () => {
    const boundary = Math.ceil(Date.now() / MINUTE) * MINUTE + 10 * MINUTE;
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push(await attempt("straddle", boundary - 50 + i));
    for (let i = 0; i < 5; i++) statuses.push(await attempt("straddle", boundary + 50 + i));
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429, 429, 429, 429, 429]);
  });

  it("the window lasts windowMs from the key's first request; Retry-After counts to its end; keys are apart", async () => {
    const t0 = Date.now() + 20 * MINUTE + 123;
    for (let i = 0; i < 3; i++) expect(await attempt("k", t0 + i * 1000, 3)).toBe(201);
    const refused = await consumeRateWindow(db.prisma, "k", 3, MINUTE, "tries", t0 + 30_000).catch((e: { status: number; headers: Record<string, string>; message: string }) => e);
    expect(refused).toMatchObject({ status: 429, headers: { "retry-after": "30" }, message: expect.stringMatching(/at most 3 per 60 s; try again in 30 s/) });
    expect(await attempt("other", t0 + 30_000, 3)).toBe(201);
    expect(await attempt("k", t0 + MINUTE - 1, 3)).toBe(429);
    expect(await attempt("k", t0 + MINUTE, 3)).toBe(201); // the next window opens here
    expect(await attempt("k", t0 + MINUTE + 1, 3)).toBe(201);
  });
});
