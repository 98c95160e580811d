import "server-only";

/**
 * One value per process, shared through globalThis: server.ts sets it; route handlers and server
 * components, which Next loads in module graphs of their own, find it (a symbol on globalThis is the
 * only channel the graphs share). `find` gives undefined until it is set (while the server starts,
 * and in `next build`).
 */
export function processSlot<T>(name: string): { set(value: T | undefined): void; find(): T | undefined } {
  const key = Symbol.for(name);
  const holder = globalThis as { [key: symbol]: T | undefined };
  return {
    set: (value) => { holder[key] = value; },
    find: () => holder[key],
  };
}
