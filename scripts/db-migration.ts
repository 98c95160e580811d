// npm run db:migration -- <name> [--prisma-dir <dir>]
// Writes prisma/migrations/<YYYYMMDDHHMMSS>_<name>/ (migration.sql + a copy of schema.prisma) from
// the difference between the last migration's schema copy and prisma/schema.prisma. No database
// needed. Prints "no changes" and writes nothing when the schema did not change.
import { parseArgs } from "node:util";
import path from "node:path";
import { writeMigration } from "@/lib/server/db/write-migration";

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { "prisma-dir": { type: "string" } },
});
const name = positionals[0];
if (!name || positionals.length > 1) {
  console.error("usage: npm run db:migration -- <name>   (e.g. add_market_status)");
  process.exit(2);
}

try {
  const result = await writeMigration({ name, prismaDir: values["prisma-dir"] });
  if (result === null) {
    console.log("no changes: schema.prisma matches the last migration");
  } else {
    console.log(`wrote ${path.relative(process.cwd(), result.directory)}/migration.sql`);
    console.log("review it, then apply with: npm run migrate");
  }
} catch (err) {
  console.error(`db:migration failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
