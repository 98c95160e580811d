import { TopBar } from "@/components/ui/top-bar";
import { QueryState } from "@/components/ui/query-state";

/** While the server renders a desk page (the live book's snapshot): the bar, and what is happening. */
export default function DeskLoading() {
  return (
    <>
      <TopBar subtitle="Risk desk" />
      <main className="desk" aria-busy>
        <QueryState kind="loading" height={400}>Loading the live book…</QueryState>
      </main>
    </>
  );
}
