import Link from "next/link";
import { AccountSearchPalette } from "@/components/desk/account-search-palette";
import { AlertCountsBadge } from "@/components/alerts/alert-counts-badge";
import { SignOutButton } from "./sign-out-button";

/** The desk's top-bar links: find an account (Ctrl-K, `/`), the alerts (open ones counted by severity), the audit log, who is signed in, sign out. */
export function DeskUserLinks({ email }: { email: string }) {
  return (
    <>
      <AccountSearchPalette />
      <AlertCountsBadge />
      <Link href="/desk/audit" data-testid="audit-link">Audit log</Link>
      <SignOutButton email={email} role="desk" />
    </>
  );
}
