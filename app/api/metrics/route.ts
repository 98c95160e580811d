import { guarded } from "@/lib/server/auth/guard";
import { access } from "@/lib/server/auth/policy";
import { serverMetrics } from "@/lib/server/metrics";

/** `GET /api/metrics` (scrape token: `Authorization: Bearer $LIQDESK_METRICS_TOKEN`): Prometheus text. */
export const GET = guarded(access.scrape, async () => {
  const { registry } = serverMetrics();
  return new Response(await registry.metrics(), { headers: { "content-type": registry.contentType, "cache-control": "no-store" } });
});
