// Configuration of the Prisma CLI (Prisma 7 keeps the datasource URL here, not in the schema).
// The app does not go through the CLI: it migrates with lib/server/db/migrate.ts (WebAssembly
// schema engine) and connects with lib/server/db/prisma-client.ts (pg driver adapter). The CLI is
// used for `prisma generate` (offline, scripts/generate-prisma.mjs), which needs no URL, so a
// missing DATABASE_URL is not an error here. This file is read by the Prisma CLI only, hence the
// direct process.env read (app code reads env through lib/server/env.ts).
import { defineConfig } from "prisma/config";

const url = process.env.DATABASE_URL;

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  ...(url ? { datasource: { url } } : {}),
});
