import "server-only";
import type { Runtime } from "./runtime";

/**
 * The one live runtime of this process. server.ts creates it; route handlers, which Next loads
 * in module graphs of their own, find it here. A symbol on globalThis is the only channel the
 * two graphs share.
 */
const KEY = Symbol.for("liqdesk.runtime");
type Holder = { [KEY]?: Runtime };

export function setRuntime(runtime: Runtime | undefined): void {
  (globalThis as Holder)[KEY] = runtime;
}

/** The runtime, or undefined while the server is still starting (or in `next build`). */
export function findRuntime(): Runtime | undefined {
  return (globalThis as Holder)[KEY];
}
