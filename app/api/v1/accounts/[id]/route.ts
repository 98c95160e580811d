import { guarded } from "@/lib/server/auth/guard";
import { access } from "@/lib/server/auth/policy";

/** `GET /api/v1/accounts/:id` (desk, owner): live figures, positions, plan, margin history, ledger and events. */
export const GET = guarded<{ id: string }>(access.deskOrOwner, async ({ params, services }) => Response.json(await services.accounts.detail(params.id)),
  (_request, params) => params.id);
