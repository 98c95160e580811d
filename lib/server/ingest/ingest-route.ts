import "server-only";
import type { ApiErrorBody } from "@/lib/contracts/api-error";
import { readJson, withErrors } from "@/lib/server/http/with-errors";
import { NotReadyError } from "@/lib/server/read-model";
import type { Runtime } from "@/lib/server/runtime";
import { findRuntime } from "@/lib/server/runtime-registry";
import { verifyIngestToken } from "./ingest-tokens";

/** Largest ingest body accepted (bytes of JSON, by Content-Length): 10,000 items fit with room to spare. */
export const MAX_INGEST_BODY_BYTES = 10 * 1024 * 1024;

function error(status: number, code: string, message: string, headers?: HeadersInit): Response {
  const body: ApiErrorBody = { error: { code, message } };
  return Response.json(body, { status, headers });
}

/**
 * A POST handler of the ingest API: the runtime must be up (else 503), the request must carry
 * `Authorization: Bearer <ingest token>` (else 401 `unauthorized`), the body is JSON (else 400) of
 * at most MAX_INGEST_BODY_BYTES (else 413); then `handle` runs (an InputError is a 400 naming the
 * fields) and its result is answered as JSON, once committed.
 */
export function ingestRoute<T>(handle: (runtime: Runtime, body: unknown) => Promise<T>, respond: (result: T) => unknown) {
  return withErrors(async (request: Request): Promise<Response> => {
    const runtime = findRuntime();
    if (!runtime) throw new NotReadyError();
    const identity = await verifyIngestToken(runtime.prisma, request.headers.get("authorization"));
    if (!identity) {
      return error(401, "unauthorized", "an ingest token is required: Authorization: Bearer lqd_… (npm run token -- create NAME)",
        { "www-authenticate": 'Bearer realm="liqdesk-ingest"' });
    }
    const length = Number(request.headers.get("content-length") ?? 0);
    if (length > MAX_INGEST_BODY_BYTES) {
      return error(413, "payload_too_large", `body is larger than ${MAX_INGEST_BODY_BYTES} bytes`);
    }
    const body = await readJson(request);
    return Response.json(respond(await handle(runtime, body)));
  });
}
