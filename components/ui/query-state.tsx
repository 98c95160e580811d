import type { ReactNode } from "react";

/** The placeholder of a panel whose data is loading, empty or failed; keeps the panel's height. */
export function QueryState({ kind, children, height }: { kind: "loading" | "empty" | "error"; children: ReactNode; height?: number }) {
  return (
    <div className={`query-state query-${kind}`} style={height ? { height } : undefined} role={kind === "error" ? "alert" : "status"}>
      {children}
    </div>
  );
}

/** An error's message for display. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
