import "server-only";
import type { LiqdeskAuth } from "./auth";

/**
 * The process's one better-auth instance. server.ts creates it; route handlers and server
 * components, which Next loads in module graphs of their own, find it here (as the runtime).
 */
const KEY = Symbol.for("liqdesk.auth");
type Holder = { [KEY]?: LiqdeskAuth };

export function setAuth(auth: LiqdeskAuth | undefined): void {
  (globalThis as Holder)[KEY] = auth;
}

/** The auth instance, or undefined while the server is still starting (or in `next build`). */
export function findAuth(): LiqdeskAuth | undefined {
  return (globalThis as Holder)[KEY];
}
