import "server-only";
import type { Socket } from "socket.io";
import type { z } from "zod";
import { clientEventPayloads, type SocketPayloadError } from "@/lib/contracts/socket-events";
import { toFieldErrors } from "@/lib/contracts/zod-issues";

type ClientEvent = keyof typeof clientEventPayloads;
type Ack = (answer: unknown) => void;

/** The acknowledgement callback when the client gave one (the last argument, a function), and the arguments before it. */
function splitAck(raw: unknown[]): { args: unknown[]; ack: Ack | null } {
  const last = raw.at(-1);
  return typeof last === "function" ? { args: raw.slice(0, -1), ack: last as Ack } : { args: raw, ack: null };
}

/**
 * Listens to a client event with its payload checked against the shared contract
 * (`clientEventPayloads`) first: a payload the contract refuses gets a 400 acknowledgement (when
 * the client asked for one) and nothing else; `handler` only ever sees valid arguments. A handler
 * that throws or rejects is logged, never an uncaught exception.
 */
export function onClientEvent<E extends ClientEvent>(
  socket: Socket,
  event: E,
  handler: (args: z.infer<(typeof clientEventPayloads)[E]>, ack: Ack | null) => void | Promise<void>,
  onError: (error: unknown, event: string) => void = (error, name) => console.error(`liqdesk: the ${name} handler failed:`, error),
): void {
  socket.on(event as string, (...raw: unknown[]) => {
    const { args, ack } = splitAck(raw);
    const parsed = clientEventPayloads[event].safeParse(args);
    if (!parsed.success) {
      // A wrong number of arguments is an issue of the argument list itself, not of one argument.
      const fields = toFieldErrors(parsed.error.issues).map((f) => (f.path === "(body)" ? { ...f, path: "(arguments)" } : f));
      const answer: SocketPayloadError = {
        ok: false, status: 400, code: "invalid_payload",
        message: `${event}: ${fields.map((f) => `${f.path}: ${f.message}`).join("; ")}`, fields,
      };
      ack?.(answer);
      return;
    }
    try {
      const done = handler(parsed.data as z.infer<(typeof clientEventPayloads)[E]>, ack);
      if (done instanceof Promise) done.catch((error: unknown) => onError(error, event));
    } catch (error) {
      onError(error, event);
    }
  });
}

/** An event no contract names gets a 400 acknowledgement (when the client asked for one), and nothing else. */
export function refuseUnknownEvents(socket: Socket): void {
  socket.onAny((event: unknown, ...raw: unknown[]) => {
    if (typeof event === "string" && Object.hasOwn(clientEventPayloads, event)) return;
    const answer: SocketPayloadError = { ok: false, status: 400, code: "unknown_event", message: `no such event: ${String(typeof event === "string" ? event.slice(0, 100) : typeof event)}` };
    splitAck(raw).ack?.(answer);
  });
}
