"use client";
import { useEffect } from "react";
import { useQueryClient } from "@tanstack/react-query";
import type { AccountDetail } from "@/lib/contracts/desk";
import type { AccountViewUpdate } from "@/lib/contracts/socket-events";
import { queryKeys } from "./query-keys";
import { getSocket } from "./socket";

/**
 * The account's live view from its socket room (`account:<id>`, pushed once a second), written
 * into the account's query: figures move between two polls of the history. The server decides
 * whether this page may watch the account (the desk: any; a trader: their own).
 */
export function useAccountStream(accountId: string): void {
  const queryClient = useQueryClient();
  useEffect(() => {
    const socket = getSocket();
    const onView = (update: AccountViewUpdate) => {
      if (update.accountId !== accountId) return;
      queryClient.setQueryData<AccountDetail>(queryKeys.account(accountId), (d) =>
        d && update.serverTime >= d.serverTime ? { ...d, view: update.view, serverTime: update.serverTime } : d);
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
