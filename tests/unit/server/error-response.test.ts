import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { errorBody, errorResponse, sendError, type ErrorAnswer } from "@/lib/server/http/error-response";

const invalid: ErrorAnswer = { status: 400, code: "invalid_input", message: "q: bad", fields: [{ path: "q", message: "bad" }] };
const busy: ErrorAnswer = { status: 503, code: "no_leader", message: "try again", headers: { "retry-after": "1" } };

/** What a Node response written by `sendError` looks like to a client. */
async function sent(answer: ErrorAnswer): Promise<{ status: number; type: string | null; retryAfter: string | null; body: unknown }> {
  const server = createServer((_req, res) => sendError(res, answer));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    return { status: res.status, type: res.headers.get("content-type"), retryAfter: res.headers.get("retry-after"), body: await res.json() };
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

describe("the API's error answers, built in one place", () => {
  it("a body is { error: { code, message, fields? } }, fields only when there are some", () => {
    expect(errorBody(invalid)).toEqual({ error: { code: "invalid_input", message: "q: bad", fields: [{ path: "q", message: "bad" }] } });
    expect(errorBody(busy)).toEqual({ error: { code: "no_leader", message: "try again" } });
  });

  it("a route handler's answer and a Node response carry the same status, headers and body", async () => {
    for (const answer of [invalid, busy]) {
      const res = errorResponse(answer);
      const node = await sent(answer);
      expect(node).toEqual({
        status: res.status, type: res.headers.get("content-type"), retryAfter: res.headers.get("retry-after"), body: await res.json(),
      });
      expect(node.status).toBe(answer.status);
      expect(node.type).toBe("application/json");
      expect(node.body).toEqual(errorBody(answer));
    }
    expect((await sent(busy)).retryAfter).toBe("1");
  });
});
