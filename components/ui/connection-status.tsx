"use client";
import { useSocketStatus } from "@/lib/client/use-socket-status";

const TEXT = { live: "LIVE", connecting: "CONNECTING…", down: "RECONNECTING — figures are not current" } as const;

/** LIVE while the socket is connected; RECONNECTING (figures frozen, marked stale) after it dropped. */
export function ConnectionStatus() {
  const status = useSocketStatus();
  return (
    <span className={`conn conn-${status}`} data-testid="connection-status" data-status={status} role="status">
      <span className="conn-dot" aria-hidden />{TEXT[status]}
    </span>
  );
}
