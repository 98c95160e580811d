import "server-only";
import type { AuditEntryView } from "@/lib/contracts/topup";
import type { PrismaClient } from "../db/prisma-client";
import { listAudit } from "../audit-log";

/** The audit log: who did what, when, to which account, with the note; newest first. */
export class AuditService {
  constructor(private readonly prisma: PrismaClient) {}

  /** `?accountId=&action=&before=&limit=` (lib/server/audit-log.ts). */
  list(query: Record<string, string | string[] | undefined>): Promise<AuditEntryView[]> {
    return listAudit(this.prisma, query);
  }
}
