import { guarded } from "@/lib/server/auth/guard";
import { access } from "@/lib/server/auth/policy";

/** `GET /api/v1/markets` (signed in): marks, sources and their age, staleness, five minutes of marks. */
export const GET = guarded(access.signedIn, async ({ services }) => Response.json(services.markets.snapshot()));
