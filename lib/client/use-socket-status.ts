"use client";
import { useSyncExternalStore } from "react";
import { getSocket } from "./socket";

export type SocketStatus = "connecting" | "live" | "down";

/** Whether this page's socket has ever connected: before that it is connecting, not down. */
let everConnected = false;

function subscribe(onChange: () => void): () => void {
  const socket = getSocket();
  const onConnect = () => {
    everConnected = true;
    onChange();
  };
  socket.on("connect", onConnect);
  socket.on("disconnect", onChange);
  return () => {
    socket.off("connect", onConnect);
    socket.off("disconnect", onChange);
  };
}

function status(): SocketStatus {
  const socket = getSocket();
  if (socket.connected) {
    everConnected = true;
    return "live";
  }
  return everConnected ? "down" : "connecting";
}

/**
 * The page's socket: `live`; `connecting` on first load (the server-rendered figures are fresh);
 * `down` after a disconnect, when every streamed figure is marked stale until the server's fresh
 * snapshot arrives on reconnect.
 */
export function useSocketStatus(): SocketStatus {
  return useSyncExternalStore(subscribe, status, () => "connecting");
}

/** True while streamed figures cannot be trusted as current (the socket is down). */
export function useStreamStale(): boolean {
  return useSocketStatus() === "down";
}
