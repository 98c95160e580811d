import { createServer } from "node:net";
import { StartError } from "./start-error";

/** What to tell the person starting Liqdesk when its web port is taken (scripts/start.ts, server.ts). */
export function webPortTaken(port: number): StartError {
  return new StartError(`port ${port} is in use (is Liqdesk already running? another program?): stop it, or start on another port: PORT=${port + 1} npm start`);
}

/**
 * Whether another program listens on `host:port` (a listen attempt that fails with EADDRINUSE).
 * Any other failure (a port below 1024 without the right) is not "in use": the real listen then
 * says what is wrong.
 */
export function portInUse(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", (err: NodeJS.ErrnoException) => resolve(err.code === "EADDRINUSE"));
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve(false)));
  });
}

/** A port free on `host` right now (the system's choice). */
export function freePort(host = "127.0.0.1"): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen({ port: 0, host, exclusive: true }, () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
