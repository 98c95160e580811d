import "server-only";
import { processSlot } from "@/lib/server/process-slot";
import type { LiqdeskAuth } from "./auth";

/** The process's one better-auth instance (lib/server/process-slot.ts). */
const slot = processSlot<LiqdeskAuth>("liqdesk.auth");

export function setAuth(auth: LiqdeskAuth | undefined): void {
  slot.set(auth);
}

/** The auth instance, or undefined while the server is still starting (or in `next build`). */
export function findAuth(): LiqdeskAuth | undefined {
  return slot.find();
}
