import "server-only";
import type { ApiErrorBody } from "@/lib/contracts/api-error";
import { readJson } from "@/lib/server/http/with-errors";
import type { Runtime } from "@/lib/server/runtime";
import { guarded } from "@/lib/server/auth/guard";
import { access } from "@/lib/server/auth/policy";

/** Largest ingest body accepted (bytes of JSON, by Content-Length): 10,000 items fit with room to spare. */
export const MAX_INGEST_BODY_BYTES = 10 * 1024 * 1024;

function error(status: number, code: string, message: string): Response {
  const body: ApiErrorBody = { error: { code, message } };
  return Response.json(body, { status });
}

/**
 * A POST handler of the ingest API: the runtime must be up (else 503), the request must carry
 * `Authorization: Bearer <ingest token>` (else 401 `unauthorized`, lib/server/auth/policy.ts), the body is JSON (else 400) of
 * at most MAX_INGEST_BODY_BYTES (else 413); then `handle` runs (an InputError is a 400 naming the
 * fields) and its result is answered as JSON, once committed.
 */
export function ingestRoute<T>(handle: (runtime: Runtime, body: unknown) => Promise<T>, respond: (result: T) => unknown) {
  return guarded(access.ingest, async ({ request, runtime }): Promise<Response> => {
    const length = Number(request.headers.get("content-length") ?? 0);
    if (length > MAX_INGEST_BODY_BYTES) {
      return error(413, "payload_too_large", `body is larger than ${MAX_INGEST_BODY_BYTES} bytes`);
    }
    const body = await readJson(request);
    return Response.json(respond(await handle(runtime, body)));
  });
}
