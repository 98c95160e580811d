"use client";
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { QueryState } from "@/components/ui/query-state";

/**
 * A trader asked for an account that is not theirs (another trader's, or none by that id): said
 * plainly, the same words either way (whether another trader's account exists is not theirs to learn).
 */
export function NotYourAccount() {
  const asked = useSearchParams().getAll("account").join(", ");
  return (
    <main className="account-page">
      <QueryState kind="empty" height={300}>
        <div data-testid="account-not-yours" role="alert">
          <h1>No account “{asked}” among yours</h1>
          <p className="muted">It is not bound to your sign-in, or it does not exist: its figures are not shown here. <Link href="/account">Back to your account</Link></p>
        </div>
      </QueryState>
    </main>
  );
}
