import { connection } from "next/server";
import { TopBar } from "@/components/ui/top-bar";
import { requirePage } from "@/lib/server/auth/page-access";
import { DeskUserLinks } from "@/components/auth/desk-user-links";

/**
 * The desk's access check lives here, above the page's loading boundary: a redirect thrown before
 * anything streams keeps its status (307 to /sign-in, or to the user's own home), where one thrown
 * under `loading.tsx` would arrive after a 200 had been sent.
 */
export default async function DeskBoardLayout({ children }: { children: React.ReactNode }) {
  await connection(); // per request: the session decides what renders
  const user = await requirePage("desk", "/desk");
  return (
    <>
      <TopBar subtitle="Risk desk"><DeskUserLinks email={user.email} /></TopBar>
      {children}
    </>
  );
}
