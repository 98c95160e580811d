import "server-only";

/** 256 KiB: a socket write of this size takes well under a millisecond. */
const CHUNK_BYTES = 256 * 1024;

/**
 * A response body that hands `bytes` out in views of CHUNK_BYTES, one per pull. Given as they
 * are, `new Response(bytes)` copies them whole first (undici's extractBody: ~0.3 s on the main
 * thread for a 53 MB what-if answer on a busy host) and Next writes them to the socket in one
 * call; as a stream nothing is copied, and Next writes a chunk at a time as the socket drains
 * (docs/PERFORMANCE.md, "Health under what-if load").
 */
export function streamBytes(bytes: Uint8Array<ArrayBuffer>): ReadableStream<Uint8Array<ArrayBuffer>> {
  let at = 0;
  return new ReadableStream<Uint8Array<ArrayBuffer>>({
    pull(controller) {
      if (at >= bytes.byteLength) {
        controller.close();
        return;
      }
      const end = Math.min(at + CHUNK_BYTES, bytes.byteLength);
      controller.enqueue(bytes.subarray(at, end));
      at = end;
    },
  }, { highWaterMark: 0 });
}
