import "server-only";
import { z } from "zod";
import { parseInput } from "@/lib/contracts/api-error";
import { queryInt, querySchema } from "@/lib/contracts/query";
import { BOUNDS } from "@/lib/risk/bounds";
import { textSchema } from "@/lib/contracts/text";
import type { AuditEntryView } from "@/lib/contracts/topup";
import type { PrismaClient } from "./db/prisma-client";

export const auditQuerySchema = querySchema({
  accountId: textSchema(128).optional(),
  action: textSchema(64).optional(),
  /** Entries with an id below this one (the next page, newest first). */
  // One check: BigInt runs only on a string of digits (zod 4 runs a later .refine even after the
  // regex failed, and BigInt("abc") throws).
  before: z.string().superRefine((v, ctx) => {
    if (!/^\d{1,19}$/.test(v) || BigInt(v) > BOUNDS.seq.max) ctx.addIssue({ code: "custom", message: "must be an audit entry id (a whole number, at most 2^63 − 1)" });
  }).optional(),
  limit: queryInt(1, 500).default(100),
});

/** The audit log, newest first: who (the user's email and role), what, when, which account, the note. */
export async function listAudit(prisma: PrismaClient, query: Record<string, string | string[] | undefined>): Promise<AuditEntryView[]> {
  const q = parseInput(auditQuerySchema, query);
  const rows = await prisma.auditLog.findMany({
    where: { accountId: q.accountId, action: q.action, ...(q.before ? { id: { lt: BigInt(q.before) } } : {}) },
    orderBy: { id: "desc" },
    take: q.limit,
    include: { user: { select: { email: true, role: true } } },
  });
  return rows.map((r) => ({
    id: r.id.toString(),
    createdAt: r.createdAt.getTime(),
    actor: r.user?.email ?? r.actor,
    role: r.user?.role ?? null,
    action: r.action,
    accountId: r.accountId,
    note: r.note,
    details: r.details,
  }));
}
