import type { Env } from "../env";
import type { Logger } from "../logger";
import { openDatabase, type Database } from "../database";
import { seedDatabase } from "../seed";
import type { Shutdown } from "./shutdown";

/** PostgreSQL (embedded or DATABASE_URL), migrated, with the markets and the insurance fund on a first start. */
export async function openSeededDatabase(config: Env, log: Logger, shutdown: Shutdown): Promise<Database> {
  const db = await openDatabase(config, log);
  shutdown.add("database", () => db.close());
  const seeded = await seedDatabase(db.prisma, config.LIQDESK_INSURANCE_FUND_SEED);
  if (seeded.marketsCreated || seeded.fundSeeded) log.info(seeded, "first start: seeded markets and insurance fund");
  return db;
}
