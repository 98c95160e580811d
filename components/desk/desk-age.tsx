"use client";
import { useDeskServerTime } from "@/lib/client/use-desk";
import { Age } from "@/components/ui/age";

/** The age of the desk stream's newest message; stale when the stream is down or too old. */
export function DeskAge({ stale, staleAfterMs }: { stale: boolean; staleAfterMs: number }) {
  const ts = useDeskServerTime();
  return <Age ts={ts} stale={stale} staleAfterMs={staleAfterMs} />;
}
