"use client";
import { useEffect } from "react";
import { useQueryClient } from "@tanstack/react-query";
import type { AccountViewUpdate } from "@/lib/contracts/socket-events";
import { queryKeys } from "./query-keys";
import { newerLiveView, type LiveView } from "./newest-account-view";
import { getSocket } from "./socket";

/**
 * The account's live view from its socket room (`account:<id>`, pushed within 100 ms of a change, every 5 s without one), kept as
 * the account's `accountLive` entry (the newest wins; `useAccount` merges it with the polled
 * history): figures move between two polls of the history. The server decides
 * whether this page may watch the account (the desk: any; a trader: their own).
 */
export function useAccountStream(accountId: string): void {
  const queryClient = useQueryClient();
  useEffect(() => {
    const socket = getSocket();
    const onView = (update: AccountViewUpdate) => {
      if (update.accountId !== accountId) return;
      queryClient.setQueryData<LiveView>(queryKeys.accountLive(accountId), (current) =>
        newerLiveView(current, { view: update.view, serverTime: update.serverTime }));
    };
    const watch = () => socket.emit("account:watch", accountId, () => undefined);
    socket.on("account:view", onView);
    socket.on("connect", watch);
    if (socket.connected) watch();
    return () => {
      socket.off("account:view", onView);
      socket.off("connect", watch);
      socket.emit("account:unwatch", accountId);
    };
  }, [accountId, queryClient]);
}
