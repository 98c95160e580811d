import { TopBar } from "@/components/ui/top-bar";
import { AccountNotFoundHere } from "@/components/account/account-not-found-here";
import { AccountSearchPalette } from "@/components/desk/account-search-palette";

/** Only a desk user gets here (the page checks access before it looks the account up): they may search for the one they meant. */
export default function AccountNotFoundPage() {
  return (
    <>
      <TopBar subtitle="Risk desk · account"><AccountSearchPalette /></TopBar>
      <AccountNotFoundHere />
    </>
  );
}
