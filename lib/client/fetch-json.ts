/** A non-2xx answer of the API, with its status and the API's error envelope. */
export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string | null, message: string,
    /** The fields the API named as invalid (400), by path. */
    readonly fields: { path: string; message: string }[] = []) {
    super(`${status}: ${message}`);
    this.name = "ApiError";
  }
}

/** True when `error` is the API saying the thing asked for does not exist. */
export function isNotFound(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404;
}

/** Fetches JSON from the API; a non-2xx answer throws an `ApiError` with the API's message. */
export async function fetchJson<T>(url: string, init?: RequestInit): Promise<T> {
  const response = await fetch(url, { ...init, headers: { accept: "application/json", ...init?.headers } });
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const error = (body as { error?: { code?: string; message?: string; fields?: { path: string; message: string }[] } } | null)?.error;
    throw new ApiError(response.status, error?.code ?? null, error?.message ?? response.statusText, error?.fields);
  }
  return body as T;
}

/** POSTs JSON to the API and returns its JSON answer (errors as in `fetchJson`). */
export function postJson<T>(url: string, body: unknown): Promise<T> {
  return fetchJson<T>(url, { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json" } });
}
