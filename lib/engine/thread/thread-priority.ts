import { readlinkSync } from "node:fs";
import { setPriority } from "node:os";

/**
 * Lowers the CPU priority (raises the nice value) of the calling thread alone, where the platform
 * allows it: on Linux a thread is a task with its own nice value, named by its id in
 * `/proc/thread-self`. Raising one's own nice value needs no privilege. Elsewhere it does nothing.
 * Returns whether the priority was set.
 */
export function lowerThreadPriority(nice: number): boolean {
  let tid: number;
  try {
    tid = Number(readlinkSync("/proc/thread-self").split("/").pop());
  } catch {
    return false;
  }
  if (!Number.isInteger(tid) || tid <= 0) return false;
  try {
    setPriority(tid, nice);
    return true;
  } catch {
    return false;
  }
}
