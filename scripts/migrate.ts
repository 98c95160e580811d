// npm run migrate [-- --url <postgresql://...>]
// Applies the pending migrations of prisma/migrations to --url, or else to DATABASE_URL.
// (The app migrates its database itself at start, embedded or not; this CLI is for operators.)
import { parseArgs } from "node:util";
import { migrateDatabase } from "@/lib/server/db/migrate";

const { values } = parseArgs({ options: { url: { type: "string" } } });
// Env is otherwise parsed by lib/server/env.ts; this CLI reads only this one variable.
const url = values.url ?? process.env.DATABASE_URL;
if (!url) {
  console.error("migrate: no database. Pass --url postgresql://user:pass@host:port/db or set DATABASE_URL.");
  process.exit(2);
}

const started = Date.now();
try {
  const { applied } = await migrateDatabase(url, { log: (msg) => console.log(msg) });
  console.log(`migrate: ${applied.length} migration(s) applied in ${Date.now() - started} ms`);
} catch (err) {
  console.error(`migrate failed (${redact(url)}): ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}

function redact(u: string): string {
  try {
    const parsed = new URL(u);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "<unparsable url>";
  }
}
