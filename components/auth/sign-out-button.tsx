"use client";
import { useState } from "react";

/** Who is signed in, and a button that ends the session (better-auth's sign-out) and goes to /sign-in. */
export function SignOutButton({ email, role }: { email: string; role: "desk" | "trader" }) {
  const [busy, setBusy] = useState(false);
  async function signOut() {
    setBusy(true);
    await fetch("/api/auth/sign-out", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" }).catch(() => null);
    // A full load, not a client-side push: the page's socket (authorized by the old session) and its caches go with it.
    window.location.replace("/sign-in");
  }
  return (
    <span className="user-menu">
      <span className="muted" data-testid="signed-in-as">{email} · {role}</span>
      <button type="button" className="btn btn-small" onClick={signOut} disabled={busy}>Sign out</button>
    </span>
  );
}
