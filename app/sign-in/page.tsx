import type { Metadata } from "next";
import { connection } from "next/server";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/auth/sign-in-form";
import { homeOf, pageUser } from "@/lib/server/auth/page-access";
import { pageServices } from "@/lib/server/services/services-registry";

export const metadata: Metadata = { title: "Sign in · Liqdesk" };

/** Only a path of this site is a place to go back to after sign-in. */
function safeNext(next: string | string[] | undefined): string | null {
  return typeof next === "string" && next.startsWith("/") && !next.startsWith("//") ? next : null;
}

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await connection();
  const next = safeNext((await searchParams).next);
  const user = await pageUser();
  if (user) redirect(next ?? homeOf(user));
  return (
    <main className="sign-in-page">
      <SignInForm next={next} oidcName={pageServices().sessions.oidcName()} />
    </main>
  );
}
