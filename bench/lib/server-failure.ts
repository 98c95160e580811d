/**
 * When a benchmark fails against a running server, says what became of the server: whether its
 * process is still alive and the last lines it printed (a crash, a failed transaction).
 */
import { existsSync } from "node:fs";
import type { AppServer } from "../../tests/support/app-server";

export async function explainFailure<T>(server: AppServer, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    const alive = existsSync(`/proc/${server.pid}`);
    const tail = server.output().trim().split("\n").slice(-30).join("\n");
    console.error(`\nthe benchmark failed; the server (pid ${server.pid}) is ${alive ? "still running" : "gone"}. Its last output:\n${tail}\n`);
    throw error;
  }
}
