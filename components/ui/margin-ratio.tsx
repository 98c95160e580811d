import { formatMarginRatio } from "@/lib/format/percent";
import { ratioBand } from "@/lib/client/ratio-bands";
import { useRatioBands } from "@/lib/client/ratio-bands-context";

/** A margin ratio (MM / equity, 100% = liquidation, higher is worse), coloured by its band (the server's risk parameters). */
export function MarginRatio({ ratio, decimals = 1 }: { ratio: number | null; decimals?: number }) {
  const band = ratioBand(ratio, useRatioBands());
  return (
    <span className={`num ratio ratio-${band}`} data-value={ratio === null ? "null" : String(ratio)}
      title={ratio === null ? "equity ≤ 0: no ratio (bankrupt)" : "margin ratio = MM / equity; 100% = liquidation"}>
      {formatMarginRatio(ratio, decimals)}
    </span>
  );
}
