import "server-only";
import { createWriteStream, type WriteStream } from "node:fs";

/** The ingest endpoints, by the last segment of their path (`/api/v1/ingest/<kind>`). */
export type IngestKind = "prices" | "positions" | "collateral" | "funding";
export const INGEST_KINDS: readonly IngestKind[] = ["prices", "positions", "collateral", "funding"];

/**
 * One line of a recording (ndjson): when the batch was accepted (epoch ms), which endpoint, and the
 * body as it was accepted (normalised: decimals as strings, times as epoch ms). `npm run replay`
 * posts `body` to `/api/v1/ingest/<kind>`.
 */
export interface RecordedBatch {
  t: number;
  kind: IngestKind;
  body: unknown;
}

export interface IngestRecorder {
  /** Appends one accepted batch (call after it is committed). Never throws; errors are reported once. */
  record(kind: IngestKind, body: unknown, at?: number): void;
  /** Flushes and closes the file. */
  close(): Promise<void>;
}

/**
 * Tees every accepted ingest batch to `file` (appended, one JSON line per batch), so that a
 * session of the live feed can be replayed later (`npm run replay -- FILE`). Writes are buffered
 * by the stream and never delay the ingest answer.
 */
export function createIngestRecorder(file: string, onError: (error: Error) => void = () => {}): IngestRecorder {
  const stream: WriteStream = createWriteStream(file, { flags: "a" });
  let failed = false;
  stream.on("error", (error) => {
    if (!failed) onError(error);
    failed = true;
  });
  return {
    record(kind, body, at = Date.now()) {
      if (failed) return;
      const line: RecordedBatch = { t: at, kind, body };
      stream.write(`${JSON.stringify(line)}\n`);
    },
    close() {
      return new Promise((resolve) => {
        if (stream.closed || failed) return resolve();
        stream.end(() => resolve());
      });
    },
  };
}
