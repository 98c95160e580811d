import "server-only";
import { processSlot } from "./process-slot";
import type { Runtime } from "./runtime";

/** The one live runtime of this process (lib/server/process-slot.ts). */
const slot = processSlot<Runtime>("liqdesk.runtime");

export function setRuntime(runtime: Runtime | undefined): void {
  slot.set(runtime);
}

/** The runtime, or undefined while the server is still starting (or in `next build`). */
export function findRuntime(): Runtime | undefined {
  return slot.find();
}
