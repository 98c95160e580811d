import { TopBar } from "@/components/ui/top-bar";
import { AccountNotFoundHere } from "@/components/account/account-not-found-here";

export default function AccountNotFoundPage() {
  return (
    <>
      <TopBar subtitle="Risk desk · account" />
      <AccountNotFoundHere />
    </>
  );
}
