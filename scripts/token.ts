/**
 * Ingest API tokens (docs/API.md, "Ingest tokens").
 *
 *   npm run --silent token -- create NAME    prints the new token (once: only its hash is kept)
 *   npm run --silent token -- list
 *   npm run --silent token -- revoke NAME
 *   … [--url postgresql://…]                 another database than DATABASE_URL / the embedded one
 *
 * Works whether or not the server is running (lib/server/ingest/cli-database.ts). Exit codes: 0
 * done; 1 failed (nothing to revoke, a duplicate name, no database); 2 usage error.
 */
import { parseArgs } from "node:util";
import { isInputError } from "@/lib/contracts/api-error";
import { env, EnvError } from "@/lib/server/env";
import { openCliDatabase } from "@/lib/server/ingest/cli-database";
import { createIngestToken, listIngestTokens, revokeIngestToken, VERIFY_CACHE_MS } from "@/lib/server/ingest/ingest-tokens";

const USAGE = `usage: token create NAME | list | revoke NAME  [--url postgresql://…]

  create NAME   a new ingest token named NAME, printed once on standard output
  list          every token: id, name, created, revoked
  revoke NAME   revoke the active token named NAME (effective within ${VERIFY_CACHE_MS / 1000} s)
`;

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ allowPositionals: true, options: { url: { type: "string" }, help: { type: "boolean", short: "h" } } });
  } catch (error) {
    process.stderr.write(`token: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const [command, name, ...rest] = parsed.positionals;
  const needsName = command === "create" || command === "revoke";
  if (parsed.values.help || !command || !["create", "list", "revoke"].includes(command) ||
      (needsName ? !name || rest.length > 0 : name !== undefined)) {
    process.stderr.write(USAGE);
    return parsed.values.help ? 0 : 2;
  }

  let db;
  try {
    db = await openCliDatabase(env(), parsed.values.url);
  } catch (error) {
    const message = error instanceof EnvError ? error.message : (error as Error).message;
    process.stderr.write(`token: cannot open the database: ${message}\n`);
    return 1;
  }
  try {
    if (command === "create") {
      const created = await createIngestToken(db.prisma, name!);
      process.stdout.write(`${created.token}\n`);
      process.stderr.write(`token "${created.name}" (id ${created.id}) created in ${db.where}.\n` +
        "It is shown only this once. Send it as: Authorization: Bearer <token>\n");
    } else if (command === "revoke") {
      const count = await revokeIngestToken(db.prisma, name!);
      if (count === 0) {
        process.stderr.write(`token: no active token named "${name}"\n`);
        return 1;
      }
      process.stderr.write(`revoked "${name}"; servers stop accepting it within ${VERIFY_CACHE_MS / 1000} s\n`);
    } else {
      const tokens = await listIngestTokens(db.prisma);
      const rows = [["ID", "NAME", "CREATED", "REVOKED"], ...tokens.map((t) => [
        String(t.id), t.name, t.createdAt.toISOString(), t.revokedAt ? t.revokedAt.toISOString() : "-",
      ])];
      const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
      for (const r of rows) process.stdout.write(`${r.map((cell, c) => cell.padEnd(widths[c]!)).join("  ").trimEnd()}\n`);
    }
    return 0;
  } catch (error) {
    if (isInputError(error)) {
      process.stderr.write(`token: ${error.fields.map((f) => `${f.path}: ${f.message}`).join("; ")}\n`);
    } else {
      process.stderr.write(`token: ${(error as Error).message}\n`);
    }
    return 1;
  } finally {
    await db.close();
  }
}

process.exit(await main());
