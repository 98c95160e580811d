import { getInsuranceFund } from "@/lib/server/read-model";
import { guarded } from "@/lib/server/auth/guard";
import { access } from "@/lib/server/auth/policy";

/** `GET /api/v1/insurance-fund` (desk): balance, runway, uncovered bad debt and history. */
export const GET = guarded(access.desk, async () => Response.json(await getInsuranceFund()));
