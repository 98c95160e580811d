import { TopBar } from "@/components/ui/top-bar";
import { NotYourAccount } from "@/components/account/not-your-account";

/** The 404 of /account?account=<id> when the id is not one of the trader's accounts. */
export default function NotYourAccountPage() {
  return (
    <>
      <TopBar subtitle="My account" />
      <NotYourAccount />
    </>
  );
}
