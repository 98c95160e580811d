import "server-only";
import { NotReadyError } from "../errors";
import { setMetricsSource } from "../metrics";
import { processSlot } from "../process-slot";
import type { Services } from "./services";

/**
 * The one live runtime's services in this process. A global lookup, on purpose: Next bundles route
 * handlers and pages in module graphs other than server.ts's, so the runtime server.ts builds can
 * reach them only through globalThis (lib/server/process-slot.ts). Guarded routes get the services
 * injected by `guarded` (lib/server/auth/guard.ts); pages call `pageServices()`; only the routes
 * outside the guard (health, better-auth) and the process-wide hooks (metrics, error logging) call
 * `findServices()`.
 */
const slot = processSlot<Services>("liqdesk.services");

export function setServices(services: Services | undefined): void {
  slot.set(services);
  setMetricsSource(services);
}

/** The services, or undefined while the server is still starting (or in `next build`). */
export function findServices(): Services | undefined {
  return slot.find();
}

/** The services for a page or a guarded route; NotReadyError (503) while the server is still starting. */
export function pageServices(): Services {
  const services = slot.find();
  if (!services) throw new NotReadyError();
  return services;
}
