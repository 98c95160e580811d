"use client";
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import type { AuditEntryView } from "@/lib/contracts/topup";
import { fetchJson } from "@/lib/client/fetch-json";
import { formatDateTime } from "@/lib/format/time";
import { formatUsdExact } from "@/lib/format/usd";
import { Panel } from "@/components/ui/panel";
import { QueryState, errorMessage } from "@/components/ui/query-state";
import { ScrollX } from "@/components/ui/scroll-x";

const REFRESH_MS = 3000;

/** What an entry did, in words, from its details (amounts are exact decimal strings). */
function what(e: AuditEntryView): string {
  const d = (e.details ?? {}) as Record<string, unknown>;
  if (e.action === "topup.create") return `top-up of ${formatUsdExact(String(d.amount))} USD → collateral ${formatUsdExact(String(d.balanceAfter))} USD`;
  if (e.action.startsWith("ingest_token.")) return `${e.action.slice("ingest_token.".length)} ingest token "${String(d.name)}"`;
  if (e.action === "user.create") return `created ${String(d.role)} ${String(d.email)}`;
  if (e.action === "user.bind_accounts") return `bound ${(d.accounts as string[] | undefined)?.join(", ") ?? ""} to ${String(d.email)}`;
  return e.action;
}

/** The desk's audit log: who did what, when, to which account, with the note; newest first, refreshed every 3 s. */
export function AuditLogView({ initial, accountId }: { initial: AuditEntryView[]; accountId: string | null }) {
  const url = `/api/v1/audit?limit=200${accountId ? `&accountId=${encodeURIComponent(accountId)}` : ""}`;
  const { data, error } = useQuery({
    queryKey: ["audit", accountId],
    queryFn: () => fetchJson<AuditEntryView[]>(url),
    initialData: initial,
    refetchInterval: REFRESH_MS,
  });
  return (
    <main>
      <Panel title="Audit log" subtitle={accountId ? <>newest first · account {accountId} · <Link href="/desk/audit">all accounts</Link></> : "newest first"}
        testId="audit-panel" right={error ? <span className="tone-warn">Could not refresh: {errorMessage(error)}</span> : null}>
        {data.length === 0 ? <QueryState kind="empty" height={200}>Nothing has been recorded yet.</QueryState> : (
          <ScrollX className="table-scroll">
            <table className="table audit-table" data-testid="audit-table">
              <thead>
                <tr>
                  <th style={{ width: 160 }}>Time <span className="unit">UTC</span></th>
                  <th style={{ width: 220 }}>Who</th>
                  <th style={{ width: 160 }}>Action</th>
                  <th style={{ width: 130 }}>Account</th>
                  <th>What</th>
                  <th>Note</th>
                </tr>
              </thead>
              <tbody>
                {data.map((e) => (
                  <tr key={e.id} data-testid={`audit-${e.id}`} data-action={e.action} data-account={e.accountId ?? ""}>
                    <td className="num">{formatDateTime(e.createdAt)}</td>
                    <td className="ellipsis">{e.actor}{e.role ? <span className="unit"> · {e.role}</span> : null}</td>
                    <td>{e.action}</td>
                    <td>{e.accountId ? <Link href={`/desk/accounts/${encodeURIComponent(e.accountId)}`}>{e.accountId}</Link> : <span className="muted">—</span>}</td>
                    <td>{what(e)}</td>
                    <td className="muted">{e.note ?? ""}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollX>
        )}
      </Panel>
    </main>
  );
}
