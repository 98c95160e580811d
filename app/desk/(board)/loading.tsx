import { QueryState } from "@/components/ui/query-state";

/** While the server renders the desk (the live book's snapshot), under the layout's bar: what is happening. */
export default function DeskLoading() {
  return (
    <main className="desk" aria-busy>
      <QueryState kind="loading" height={400}>Loading the live book…</QueryState>
    </main>
  );
}
