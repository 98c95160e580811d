import "server-only";

/** A request's query string as an object; a repeated key becomes an array (`?status=a&status=b`). */
export function searchParams(request: Request): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of new URL(request.url).searchParams) {
    const held = out[key];
    out[key] = held === undefined ? value : Array.isArray(held) ? [...held, value] : [held, value];
  }
  return out;
}
