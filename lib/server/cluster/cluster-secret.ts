import "server-only";
import { createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";

/** Carries the cluster secret on calls between instances. */
export const CLUSTER_HEADER = "x-liqdesk-cluster";

/** The secret instances show each other: derived from the auth secret they must share anyway. */
export function clusterSecret(authSecret: string): string {
  return createHmac("sha256", authSecret).update("liqdesk-cluster-v1").digest("hex");
}

/** Whether a request came from another instance of this deployment. */
export function fromInstance(headers: IncomingHttpHeaders, secret: string): boolean {
  const given = headers[CLUSTER_HEADER];
  if (typeof given !== "string" || given.length !== secret.length) return false;
  return timingSafeEqual(Buffer.from(given), Buffer.from(secret));
}
