import "server-only";
import { BODY_LIMITS } from "@/lib/server/http/body-limits";
import { readJson } from "@/lib/server/http/read-body";
import type { Runtime } from "@/lib/server/runtime";
import { guarded } from "@/lib/server/auth/guard";
import { access } from "@/lib/server/auth/policy";

/**
 * A POST handler of the ingest API: the runtime must be up (else 503), the request must carry
 * `Authorization: Bearer <ingest token>` (else 401 `unauthorized`, lib/server/auth/policy.ts), the body is read by
 * `readJson` (415 not JSON, 413 above BODY_LIMITS.batch, 400 not UTF-8 / nested too deeply / JSON / text); then `handle` runs (an InputError is a 400 naming the
 * fields) and its result is answered as JSON, once committed.
 */
export function ingestRoute<T>(handle: (runtime: Runtime, body: unknown) => Promise<T>, respond: (result: T) => unknown) {
  return guarded(access.ingest, async ({ request, runtime }): Promise<Response> => {
    const body = await readJson(request, BODY_LIMITS.batch);
    return Response.json(respond(await handle(runtime, body)));
  });
}
