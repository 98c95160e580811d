import "server-only";
import type { Prisma, PrismaClient } from "./prisma-client";

/**
 * Takes the advisory lock named `name` until the end of the transaction it runs in
 * (`pg_advisory_xact_lock(hashtext(name))`), so that writers sharing the name go one at a time.
 * A query (not awaited here), so that it can also open a batch `$transaction([...])`; it selects a
 * constant because Prisma cannot read the lock function's `void`.
 */
export function transactionLock(db: Prisma.TransactionClient | PrismaClient, name: string) {
  return db.$queryRaw`SELECT 1 AS locked FROM (SELECT pg_advisory_xact_lock(hashtext(${name}))) l`;
}
