import type { Metadata } from "next";
import { connection } from "next/server";
import { AuditLogView } from "@/components/audit/audit-log-view";
import { DeskUserLinks } from "@/components/auth/desk-user-links";
import { TopBar } from "@/components/ui/top-bar";
import { requirePage } from "@/lib/server/auth/page-access";
import { pageServices } from "@/lib/server/services/services-registry";

export const metadata: Metadata = { title: "Audit log · Liqdesk" };

/** `/desk/audit` (desk): who did what, when, to which account, with the note (`?accountId=` for one account). */
export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await connection();
  const user = await requirePage("desk", "/desk/audit");
  const q = await searchParams;
  const accountId = typeof q.accountId === "string" && q.accountId ? q.accountId : null;
  const initial = await pageServices().audit.list({ limit: "200", ...(accountId ? { accountId } : {}) });
  return (
    <>
      <TopBar subtitle="Risk desk · audit log"><DeskUserLinks email={user.email} /></TopBar>
      <AuditLogView initial={initial} accountId={accountId} />
    </>
  );
}
