import { guarded } from "@/lib/server/auth/guard";
import { access } from "@/lib/server/auth/policy";

/** `GET /api/v1/me` (signed in): who the session is, their role and the accounts bound to them. */
export const GET = guarded(access.signedIn, async ({ principal }) => Response.json(principal));
