/**
 * Users who sign in (docs/OPERATIONS.md, "Users and sign-in").
 *
 *   npm run --silent user -- create EMAIL --role desk|trader [--accounts A,B] [--name NAME] [--password PW]
 *        prints the password (a generated one when --password is not given: it is shown only once)
 *   npm run --silent user -- bind EMAIL --accounts A,B     binds more margin accounts to a trader
 *   npm run --silent user -- list
 *   … [--url postgresql://…]                             another database than DATABASE_URL / the embedded one
 *
 * Works whether or not the server is running. Exit codes: 0 done; 1 failed; 2 usage error.
 */
import { parseArgs } from "node:util";
import { isInputError } from "@/lib/contracts/api-error";
import { env, EnvError } from "@/lib/server/env";
import { openCliDatabase } from "@/lib/server/ingest/cli-database";
import { bindAccounts, createUser } from "@/lib/server/auth/users";

const USAGE = `usage: user create EMAIL --role desk|trader [--accounts A,B] [--name NAME] [--password PW]
       user bind EMAIL --accounts A,B
       user list
       … [--url postgresql://…]
`;

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        role: { type: "string" }, accounts: { type: "string" }, name: { type: "string" }, password: { type: "string" },
        url: { type: "string" }, help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    process.stderr.write(`user: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const [command, email, ...rest] = parsed.positionals;
  const v = parsed.values;
  const accounts = (v.accounts ?? "").split(",").map((a) => a.trim()).filter(Boolean);
  const usageError = !command || rest.length > 0
    || (command === "create" && (!email || (v.role !== "desk" && v.role !== "trader")))
    || (command === "bind" && (!email || accounts.length === 0))
    || (command === "list" && email !== undefined)
    || !["create", "bind", "list"].includes(command);
  if (v.help || usageError) {
    process.stderr.write(USAGE);
    return v.help ? 0 : 2;
  }

  let db;
  try {
    db = await openCliDatabase(env(), v.url);
  } catch (error) {
    const message = error instanceof EnvError ? error.message : (error as Error).message;
    process.stderr.write(`user: cannot open the database: ${message}\n`);
    return 1;
  }
  try {
    if (command === "create") {
      const role = v.role as "desk" | "trader";
      const created = await createUser(db.prisma, { email: email!, name: v.name ?? email!, role, accountIds: accounts, password: v.password });
      process.stdout.write(`${created.password}\n`);
      process.stderr.write(`user ${email} (${role}${accounts.length ? `, accounts ${accounts.join(", ")}` : ""}) created in ${db.where}.\n`);
    } else if (command === "bind") {
      const count = await bindAccounts(db.prisma, email!, accounts);
      process.stderr.write(`${count} account(s) newly bound to ${email}\n`);
    } else {
      const users = await db.prisma.user.findMany({ orderBy: { email: "asc" }, include: { accounts: { select: { accountId: true } } } });
      for (const u of users) process.stdout.write(`${u.email}  ${u.role}  ${u.accounts.map((a) => a.accountId).join(",") || "-"}\n`);
    }
    return 0;
  } catch (error) {
    process.stderr.write(`user: ${isInputError(error) ? error.fields.map((f) => `${f.path}: ${f.message}`).join("; ") : (error as Error).message}\n`);
    return 1;
  } finally {
    await db.close();
  }
}

process.exit(await main());
