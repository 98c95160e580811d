import { formatMarginRatio } from "@/lib/format/percent";
import { ratioBand } from "@/lib/client/ratio-bands";

/** A margin ratio (MM / equity, 100% = liquidation, higher is worse), coloured by its band. */
export function MarginRatio({ ratio, decimals = 1 }: { ratio: number | null; decimals?: number }) {
  const band = ratioBand(ratio);
  return (
    <span className={`num ratio ratio-${band}`} data-value={ratio === null ? "null" : String(ratio)}
      title={ratio === null ? "equity ≤ 0: no ratio (bankrupt)" : "margin ratio = MM / equity; 100% = liquidation"}>
      {formatMarginRatio(ratio, decimals)}
    </span>
  );
}
