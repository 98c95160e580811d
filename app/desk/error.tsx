"use client";
import { TopBar } from "@/components/ui/top-bar";
import { QueryState } from "@/components/ui/query-state";

/**
 * A desk page that failed to render (the server could not read the live book, or the page threw):
 * what failed, the server log's reference, and a way to try again. Nothing stale is shown.
 */
export default function DeskError({ error, retry }: { error: unknown; retry: () => void }) {
  const digest = error instanceof Error && "digest" in error && typeof error.digest === "string" ? error.digest : null;
  return (
    <>
      <TopBar subtitle="Risk desk" />
      <main className="desk">
        <QueryState kind="error" height={400}>
          <div className="error-page" data-testid="desk-error">
            <p>This page could not be loaded: {error instanceof Error ? error.message : String(error)}</p>
            {digest ? <p className="muted">Reference for the server log: {digest}</p> : null}
            <button type="button" className="button-primary" onClick={() => retry()}>Try again</button>
          </div>
        </QueryState>
      </main>
    </>
  );
}
