import "server-only";
import type { PrismaClient } from "./db/prisma-client";

/** null when the database answers `SELECT 1` within the timeout, else what is wrong. */
export async function checkDatabase(prisma: PrismaClient, timeoutMs = 2000): Promise<string | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => { timer = setTimeout(() => resolve("timeout"), timeoutMs); });
  try {
    return await Promise.race([prisma.$queryRaw`SELECT 1`.then(() => null), timeout]);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    clearTimeout(timer);
  }
}
