import { BODY_LIMITS } from "@/lib/server/http/body-limits";
import { readJson } from "@/lib/server/http/read-body";
import { guarded } from "@/lib/server/auth/guard";
import { access } from "@/lib/server/auth/policy";

/** `POST /api/v1/accounts/:id/topups/preview` `{ amount? }` (desk, owner): before → after at current marks, and the presets. Writes nothing. */
export const POST = guarded<{ id: string }>(access.deskOrOwner, async ({ request, params, services }) =>
  Response.json(await services.accounts.previewTopUp(params.id, await readJson(request, BODY_LIMITS.topUp))), (_request, params) => params.id);
