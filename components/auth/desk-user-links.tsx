import Link from "next/link";
import { SignOutButton } from "./sign-out-button";

/** The desk's top-bar links: the audit log, webhooks, who is signed in, sign out. */
export function DeskUserLinks({ email }: { email: string }) {
  return (
    <>
      <Link href="/desk/audit" data-testid="audit-link">Audit log</Link>
      <Link href="/desk/webhooks" data-testid="webhooks-link">Webhooks</Link>
      <SignOutButton email={email} role="desk" />
    </>
  );
}
