import Link from "next/link";
import type { ReactNode } from "react";
import { ConnectionStatus } from "./connection-status";

/** The bar on top of every page: brand, where you are, the connection. */
export function TopBar({ subtitle, children }: { subtitle: ReactNode; children?: ReactNode }) {
  return (
    <header className="topbar">
      <Link href="/desk" className="brand">Liqdesk</Link>
      <span className="subtitle">{subtitle}</span>
      <span className="topbar-fill">{children}</span>
      <ConnectionStatus />
    </header>
  );
}
