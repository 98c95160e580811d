import { getInsuranceFund } from "@/lib/server/read-model";
import { withErrors } from "@/lib/server/http/with-errors";

/** `GET /api/v1/insurance-fund`: balance, runway, uncovered bad debt and history. */
export const GET = withErrors(async () => Response.json(await getInsuranceFund()));
