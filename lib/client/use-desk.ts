"use client";
import { useEffect } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import type { DeskDelta, DeskSnapshot } from "@/lib/contracts/desk";
import { applyDeskDelta } from "./apply-desk-delta";
import { deskStateOf, type DeskState } from "./desk-state";
import { fetchJson } from "./fetch-json";
import { queryKeys } from "./query-keys";
import { getSocket } from "./socket";

/**
 * The live desk: the server-rendered snapshot seeds the query; a socket `desk:snapshot` replaces
 * it (on join and on every reconnect), numbered `desk:delta`s patch it. The query cache is the
 * only store of this data in the browser.
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
    const onSnapshot = (snapshot: DeskSnapshot) => queryClient.setQueryData<DeskState>(queryKeys.desk, deskStateOf(snapshot));
    const onDelta = (delta: DeskDelta) =>
      queryClient.setQueryData<DeskState>(queryKeys.desk, (current) => (current ? applyDeskDelta(current, delta) : current));
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
