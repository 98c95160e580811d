"use client";
import { usePathname } from "next/navigation";
import { AccountNotFound } from "./account-page-view";

/** The 404 of /desk/accounts/[id], naming the id from the address. */
export function AccountNotFoundHere() {
  const path = usePathname();
  const id = decodeURIComponent(path.split("/").pop() ?? "");
  return <AccountNotFound accountId={id} />;
}
