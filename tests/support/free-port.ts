/** A TCP port that was free a moment ago on 127.0.0.1. */
export { freePort } from "@/lib/server/port-in-use";
