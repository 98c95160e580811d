import { BACKSTOP_RATIO, LIQUIDATION_RATIO, WARN_RATIO, ratioBand } from "@/lib/client/ratio-bands";
import { formatMarginRatio } from "@/lib/format/percent";

/** The gauge spans 0% to this ratio; beyond it (and at equity ≤ 0) the needle rests at the end. */
const GAUGE_MAX = 2;
const BANDS = [
  { from: 0, to: WARN_RATIO, color: "var(--ok)", label: "healthy" },
  { from: WARN_RATIO, to: LIQUIDATION_RATIO, color: "var(--warn)", label: "warning" },
  { from: LIQUIDATION_RATIO, to: BACKSTOP_RATIO, color: "var(--bad)", label: "liquidation" },
  { from: BACKSTOP_RATIO, to: GAUGE_MAX, color: "var(--backstop)", label: "backstop" },
];
const R = 80;
const CX = 100;
const CY = 96;

function point(ratio: number, radius: number): [number, number] {
  const angle = Math.PI * (1 - Math.min(ratio, GAUGE_MAX) / GAUGE_MAX);
  return [CX + radius * Math.cos(angle), CY - radius * Math.sin(angle)];
}

function arc(from: number, to: number): string {
  const [x1, y1] = point(from, R);
  const [x2, y2] = point(to, R);
  return `M ${x1} ${y1} A ${R} ${R} 0 0 1 ${x2} ${y2}`;
}

/**
 * The margin ratio (MM / equity) on a half-circle from 0% to 200%: healthy below 80%, warning to
 * 100% (the liquidation line), liquidation steps to 150%, full backstop closure above. Higher is
 * worse; the direction is written on the gauge.
 */
export function MarginGauge({ ratio }: { ratio: number | null }) {
  const shown = ratio === null ? GAUGE_MAX : Math.max(0, ratio);
  const [nx, ny] = point(shown, R - 14);
  const band = ratioBand(ratio);
  return (
    <figure className="gauge" data-testid="margin-gauge" data-value={ratio === null ? "null" : String(ratio)}
      aria-label={`margin ratio ${formatMarginRatio(ratio, 2)}; 100% is liquidation, higher is worse`}>
      <svg viewBox="-12 0 224 122" role="img">
        {BANDS.map((b) => <path key={b.label} d={arc(b.from, b.to)} stroke={b.color} strokeWidth={14} fill="none" opacity={0.85}><title>{b.label}</title></path>)}
        {[0, WARN_RATIO, LIQUIDATION_RATIO, BACKSTOP_RATIO, GAUGE_MAX].map((t) => {
          const [x, y] = point(t, R + 12);
          return <text key={t} x={x} y={y} className="gauge-tick" textAnchor="middle">{Math.round(t * 100)}%</text>;
        })}
        <line x1={CX} y1={CY} x2={nx} y2={ny} stroke="var(--text)" strokeWidth={3} strokeLinecap="round" />
        <circle cx={CX} cy={CY} r={5} fill="var(--text)" />
        <text x={CX} y={CY + 22} textAnchor="middle" className={`gauge-value ratio-${band}`}>{formatMarginRatio(ratio, 1)}</text>
      </svg>
      <figcaption className="muted">margin ratio = MM / equity · <b>higher is worse</b> → · 100% = liquidation</figcaption>
    </figure>
  );
}
