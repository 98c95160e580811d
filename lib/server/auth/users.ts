import "server-only";
import { randomBytes, randomUUID } from "node:crypto";
import { hashPassword } from "better-auth/crypto";
import { InputError } from "@/lib/contracts/api-error";
import type { PrismaClient } from "../db/prisma-client";
import type { Role } from "./policy";

const EMAIL = /^[^\s@]+@[^\s@]+$/;

export interface NewUser {
  email: string;
  name: string;
  role: Role;
  /** Margin accounts a trader is bound to (none for the desk). */
  accountIds: readonly string[];
  /** At least 8 characters; generated when omitted. */
  password?: string;
}

/**
 * A user who signs in with email and password: the user row, better-auth's "credential" sign-in
 * method holding the scrypt hash (better-auth's own `hashPassword`, the one sign-in verifies
 * against), and the trader's account bindings, in one transaction. Returns the password (the
 * generated one when none was given). Audited.
 */
export async function createUser(prisma: PrismaClient, user: NewUser, actor = "cli"): Promise<{ id: string; password: string }> {
  const email = user.email.trim().toLowerCase();
  const fields = [];
  if (!EMAIL.test(email)) fields.push({ path: "email", message: `"${user.email}" is not an email address` });
  if (user.password !== undefined && user.password.length < 8) fields.push({ path: "password", message: "must be at least 8 characters" });
  if (user.role === "desk" && user.accountIds.length) fields.push({ path: "accounts", message: "the desk sees every account: bind accounts to traders only" });
  if (fields.length) throw new InputError(fields);
  const password = user.password ?? randomBytes(12).toString("base64url");
  const hash = await hashPassword(password);
  const id = randomUUID();
  await prisma.$transaction(async (tx) => {
    if (await tx.user.findUnique({ where: { email } })) throw new InputError([{ path: "email", message: `a user "${email}" exists` }]);
    await tx.user.create({ data: { id, email, name: user.name, role: user.role, emailVerified: true } });
    await tx.authAccount.create({ data: { id: randomUUID(), userId: id, providerId: "credential", accountId: id, password: hash } });
    if (user.accountIds.length) await tx.userAccount.createMany({ data: user.accountIds.map((accountId) => ({ userId: id, accountId })) });
    await tx.auditLog.create({ data: { actor, action: "user.create", details: { id, email, role: user.role, accounts: [...user.accountIds] } } });
  });
  return { id, password };
}

/** Binds more accounts to a trader (already bound ones are kept). Audited. */
export async function bindAccounts(prisma: PrismaClient, email: string, accountIds: readonly string[], actor = "cli"): Promise<number> {
  const user = await prisma.user.findUnique({ where: { email: email.trim().toLowerCase() } });
  if (!user) throw new InputError([{ path: "email", message: `no user "${email}"` }]);
  if (user.role !== "trader") throw new InputError([{ path: "email", message: `${email} is the desk: it sees every account` }]);
  return prisma.$transaction(async (tx) => {
    const { count } = await tx.userAccount.createMany({ data: accountIds.map((accountId) => ({ userId: user.id, accountId })), skipDuplicates: true });
    await tx.auditLog.create({ data: { actor, action: "user.bind_accounts", details: { email: user.email, accounts: [...accountIds] } } });
    return count;
  });
}
