"use client";
import { useState, type FormEvent } from "react";

interface Problem {
  field: "email" | "password" | null;
  message: string;
}

async function problemOf(response: Response): Promise<Problem> {
  if (response.status === 429) {
    const wait = response.headers.get("x-retry-after") ?? response.headers.get("retry-after");
    return { field: null, message: `Too many sign-in attempts: try again${wait ? ` in ${wait} s` : " in a minute"}.` };
  }
  const body = (await response.json().catch(() => null)) as { message?: string; code?: string } | null;
  if (response.status === 401) return { field: "password", message: "Wrong email or password." };
  if (body?.code === "INVALID_EMAIL") return { field: "email", message: "Enter an email address." };
  return { field: null, message: body?.message ?? `Sign-in failed (${response.status}).` };
}

/** Email and password sign-in (better-auth's endpoint sets the session cookie), and the OIDC provider when configured. */
export function SignInForm({ next, oidcName }: { next: string | null; oidcName: string | null }) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!email.trim()) return setProblem({ field: "email", message: "Enter your email." });
    if (!password) return setProblem({ field: "password", message: "Enter your password." });
    setBusy(true);
    setProblem(null);
    try {
      const response = await fetch("/api/auth/sign-in/email", {
        method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: email.trim(), password }),
      });
      if (!response.ok) return setProblem(await problemOf(response));
      window.location.assign(next ?? "/");
    } catch {
      setProblem({ field: null, message: "The server did not answer: check the connection and try again." });
    } finally {
      setBusy(false);
    }
  }

  async function signInWithOidc() {
    setBusy(true);
    setProblem(null);
    const response = await fetch("/api/auth/sign-in/social", {
      method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ provider: "oidc", callbackURL: next ?? "/" }),
    }).catch(() => null);
    const body = (await response?.json().catch(() => null)) as { url?: string } | null;
    if (body?.url) window.location.assign(body.url);
    else {
      setBusy(false);
      setProblem({ field: null, message: `${oidcName} sign-in is not available right now.` });
    }
  }

  return (
    <form className="sign-in" onSubmit={submit} noValidate aria-labelledby="sign-in-title">
      <div className="brand">Liqdesk</div>
      <h1 id="sign-in-title">Sign in</h1>
      <label className="field">
        <span>Email</span>
        <input type="email" name="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)}
          aria-invalid={problem?.field === "email"} data-testid="sign-in-email" autoFocus />
      </label>
      <label className="field">
        <span>Password</span>
        <input type="password" name="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)}
          aria-invalid={problem?.field === "password"} data-testid="sign-in-password" />
      </label>
      {problem ? <div className="field-error" role="alert" data-testid="sign-in-error">{problem.message}</div> : null}
      <button type="submit" className="btn btn-primary" disabled={busy} data-testid="sign-in-submit">{busy ? "Signing in…" : "Sign in"}</button>
      {oidcName ? <button type="button" className="btn" disabled={busy} onClick={signInWithOidc}>Sign in with {oidcName}</button> : null}
    </form>
  );
}
