import "server-only";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { NotReadyError } from "../errors";
import { findRuntime } from "../runtime-registry";
import { findAuth } from "./auth-registry";
import { access, decide, type UserPrincipal } from "./policy";
import { sessionPrincipal } from "./principal";

/** Where each role lands after sign-in. */
export function homeOf(user: UserPrincipal): string {
  return user.role === "desk" ? "/desk" : "/account";
}

/** The signed-in user of the page being rendered, or null. */
export async function pageUser(): Promise<UserPrincipal | null> {
  const runtime = findRuntime();
  const auth = findAuth();
  if (!runtime || !auth) throw new NotReadyError();
  const principal = await sessionPrincipal(auth, runtime.prisma, await headers());
  return principal.kind === "user" ? principal : null;
}

/**
 * A page's access check, by the same policy as the API: signed out → /sign-in (then back to
 * `from`); the wrong role → that role's own home (the desk to /desk, a trader to /account).
 */
export async function requirePage(rule: "desk" | "trader", from: string): Promise<UserPrincipal> {
  const user = await pageUser();
  if (!user) redirect(`/sign-in?next=${encodeURIComponent(from)}`);
  if (!decide(user, access[rule]).ok) redirect(homeOf(user));
  return user;
}
