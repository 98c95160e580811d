import "server-only";

import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";

export type { PrismaClient };
export { Prisma } from "@/lib/generated/prisma/client";

export interface CreatePrismaClientOptions {
  /** Largest number of pooled connections (node-postgres pool `max`). Default 10. */
  maxConnections?: number;
}

/**
 * A Prisma Client over `@prisma/adapter-pg` (no native query engine). The caller owns it and
 * calls `$disconnect()` on shutdown. For multi-row batches, raw SQL goes through
 * `$executeRaw` / `$queryRaw` on the same client (and so inside its transactions).
 */
export function createPrismaClient(
  connectionString: string,
  opts: CreatePrismaClientOptions = {},
): PrismaClient {
  const adapter = new PrismaPg({ connectionString, max: opts.maxConnections ?? 10 });
  return new PrismaClient({ adapter });
}
