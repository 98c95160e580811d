import "server-only";
import type { ServerResponse } from "node:http";
import type { ApiErrorBody, FieldError } from "@/lib/contracts/api-error";

/** One refusal: its status, and the body's `code`, `message` and `fields` (docs/API.md, "Errors"). */
export interface ErrorAnswer {
  status: number;
  code: string;
  message: string;
  fields?: FieldError[] | undefined;
  headers?: Record<string, string> | undefined;
}

/** The API's error body, `{ "error": { "code", "message", "fields"? } }`: the one place it is built. */
export function errorBody(e: ErrorAnswer): ApiErrorBody {
  return { error: { code: e.code, message: e.message, ...(e.fields ? { fields: e.fields } : {}) } };
}

/** A refusal as a route handler answers it. */
export function errorResponse(e: ErrorAnswer): Response {
  return Response.json(errorBody(e), { status: e.status, headers: e.headers });
}

/** A refusal written on a Node response: before the app sees the request (server.ts), and between instances. */
export function sendError(res: ServerResponse, e: ErrorAnswer): void {
  res.writeHead(e.status, { "content-type": "application/json", ...e.headers }).end(JSON.stringify(errorBody(e)));
}
