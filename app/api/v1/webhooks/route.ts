import { BODY_LIMITS } from "@/lib/server/http/body-limits";
import { readJson } from "@/lib/server/http/read-body";
import { guarded } from "@/lib/server/auth/guard";
import { access } from "@/lib/server/auth/policy";

/** `GET /api/v1/webhooks` (desk): every webhook, its state, last delivery and failures (never a secret). */
export const GET = guarded(access.desk, async ({ services }) => Response.json(await services.webhooks.list()));

/**
 * `POST /api/v1/webhooks` (desk) `{ name, url, format?, ruleIds?, minSeverity?, eventKinds?, template?, enabled? }`:
 * 201 with the webhook and its `secret`, shown this once (docs/WEBHOOKS.md). A bad field: 400 naming it, nothing saved.
 */
export const POST = guarded(access.desk, async ({ request, principal, services }) => {
  if (principal.kind !== "user") throw new Error("unreachable: the policy admits only users here");
  return Response.json(await services.webhooks.create(principal, await readJson(request, BODY_LIMITS.webhook)), { status: 201 });
});
