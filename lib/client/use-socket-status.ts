"use client";
import { useSyncExternalStore } from "react";
import { getSocket } from "./socket";

function subscribe(onChange: () => void): () => void {
  const socket = getSocket();
  socket.on("connect", onChange);
  socket.on("disconnect", onChange);
  return () => {
    socket.off("connect", onChange);
    socket.off("disconnect", onChange);
  };
}

/** Whether the page's socket is connected: live figures are marked stale while it is not. */
export function useSocketConnected(): boolean {
  return useSyncExternalStore(subscribe, () => getSocket().connected, () => true);
}
