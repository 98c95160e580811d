"use client";
import { useEffect } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import type { DeskDelta, DeskSnapshot } from "@/lib/contracts/desk";
import { applyDeskDelta } from "./apply-desk-delta";
import { deskStateOf, type DeskState } from "./desk-state";
import { fetchJson } from "./fetch-json";
import { queryKeys } from "./query-keys";
import { getSocket } from "./socket";

/** A resync asked for and not answered within this long is asked for again. */
const RESYNC_RETRY_MS = 3000;

/**
 * The live desk: the server-rendered snapshot seeds the query; a socket `desk:snapshot` replaces
 * it (on join and on every reconnect), numbered `desk:delta`s patch it. A delta that does not
 * follow on (a gap in `seq`: the server skipped a frame for this client) is not applied: the hook
 * asks for a fresh snapshot (`desk:resync`, answered on the same socket, so every delta after it
 * is newer) and drops deltas until it comes. The query cache is the only store of this data in
 * the browser.
 */
export function useDesk(initial: DeskSnapshot) {
  const queryClient = useQueryClient();
  const query = useQuery({
    queryKey: queryKeys.desk,
    queryFn: async () => deskStateOf(await fetchJson<DeskSnapshot>("/api/v1/desk/snapshot")),
    initialData: () => deskStateOf(initial),
    staleTime: Infinity,
  });

  useEffect(() => {
    const socket = getSocket();
    let resyncAskedAt = Number.NEGATIVE_INFINITY;
    const onSnapshot = (snapshot: DeskSnapshot) => {
      resyncAskedAt = Number.NEGATIVE_INFINITY;
      queryClient.setQueryData<DeskState>(queryKeys.desk, deskStateOf(snapshot));
    };
    const onDelta = (delta: DeskDelta) => {
      const current = queryClient.getQueryData<DeskState>(queryKeys.desk);
      if (!current) return;
      const next = applyDeskDelta(current, delta);
      if (next === null) {
        const now = Date.now();
        if (now - resyncAskedAt >= RESYNC_RETRY_MS) {
          resyncAskedAt = now;
          socket.emit("desk:resync");
        }
        return;
      }
      if (next !== current) queryClient.setQueryData<DeskState>(queryKeys.desk, next);
    };
    socket.on("desk:snapshot", onSnapshot);
    socket.on("desk:delta", onDelta);
    // Joined before this effect ran: ask for the snapshot that would otherwise have been missed.
    if (socket.connected) socket.emit("desk:resync");
    return () => {
      socket.off("desk:snapshot", onSnapshot);
      socket.off("desk:delta", onDelta);
    };
  }, [queryClient]);

  return query;
}

/** The server time of the newest desk message, alone: an age can tick without re-rendering its panel. */
export function useDeskServerTime(): number | null {
  const { data } = useQuery({
    queryKey: queryKeys.desk,
    queryFn: async () => deskStateOf(await fetchJson<DeskSnapshot>("/api/v1/desk/snapshot")),
    staleTime: Infinity,
    select: (d: DeskState) => d.serverTime,
  });
  return data ?? null;
}
