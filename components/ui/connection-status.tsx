"use client";
import { useSocketConnected } from "@/lib/client/use-socket-status";

/** LIVE while the socket is connected; RECONNECTING (figures frozen, marked stale) otherwise. */
export function ConnectionStatus() {
  const connected = useSocketConnected();
  return (
    <span className={connected ? "conn conn-live" : "conn conn-down"} data-testid="connection-status" role="status">
      <span className="conn-dot" aria-hidden />{connected ? "LIVE" : "RECONNECTING — figures are not current"}
    </span>
  );
}
