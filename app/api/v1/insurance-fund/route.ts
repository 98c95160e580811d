import { guarded } from "@/lib/server/auth/guard";
import { access } from "@/lib/server/auth/policy";

/** `GET /api/v1/insurance-fund` (desk): balance, runway, uncovered bad debt and history. */
export const GET = guarded(access.desk, async ({ services }) => Response.json(await services.desk.insuranceFund()));
