import { connection } from "next/server";
import { redirect } from "next/navigation";
import { homeOf, pageUser } from "@/lib/server/auth/page-access";

/** `/`: the signed-in user's home (the desk or their account), else the sign-in page. */
export default async function Home() {
  await connection();
  const user = await pageUser();
  redirect(user ? homeOf(user) : "/sign-in");
}
