import type { Metadata } from "next";
import { connection } from "next/server";
import { AuditLogView } from "@/components/audit/audit-log-view";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { TopBar } from "@/components/ui/top-bar";
import { requirePage } from "@/lib/server/auth/page-access";
import { listAudit } from "@/lib/server/audit-log";
import { findRuntime } from "@/lib/server/runtime-registry";
import { NotReadyError } from "@/lib/server/errors";

export const metadata: Metadata = { title: "Audit log · Liqdesk" };

/** `/desk/audit` (desk): who did what, when, to which account, with the note (`?accountId=` for one account). */
export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await connection();
  const user = await requirePage("desk", "/desk/audit");
  const runtime = findRuntime();
  if (!runtime) throw new NotReadyError();
  const q = await searchParams;
  const accountId = typeof q.accountId === "string" && q.accountId ? q.accountId : null;
  const initial = await listAudit(runtime.prisma, { limit: "200", ...(accountId ? { accountId } : {}) });
  return (
    <>
      <TopBar subtitle="Risk desk · audit log"><SignOutButton email={user.email} role={user.role} /></TopBar>
      <AuditLogView initial={initial} accountId={accountId} />
    </>
  );
}
