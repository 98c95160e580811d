import { ratioBand, type RatioBands } from "@/lib/client/ratio-bands";
import { useRatioBands } from "@/lib/client/ratio-bands-context";
import { formatMarginRatio } from "@/lib/format/percent";

/** The gauge spans 0% to this ratio; beyond it (and at equity ≤ 0) the needle rests at the end. */
const GAUGE_MAX = 2;

/** The arcs of the bands (the server's risk parameters), each clipped to the gauge. */
function arcsOf(bands: RatioBands) {
  const clip = (r: number) => Math.min(r, GAUGE_MAX);
  return [
    { from: 0, to: clip(bands.warn), color: "var(--ok)", label: "healthy" },
    { from: clip(bands.warn), to: clip(bands.liquidation), color: "var(--warn)", label: "warning" },
    { from: clip(bands.liquidation), to: clip(bands.backstop), color: "var(--bad)", label: "liquidation" },
    { from: clip(bands.backstop), to: GAUGE_MAX, color: "var(--backstop)", label: "backstop" },
  ].filter((b) => b.to > b.from);
}
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
 * The margin ratio (MM / equity) on a half-circle from 0% to 200%: healthy below the warning ratio
 * (80% by default), warning to 100% (the liquidation line), liquidation steps to 1 / backstopFraction
 * (150% by default), full backstop closure above: the bands of the server's risk parameters. Higher is
 * worse; the direction is written on the gauge.
 */
export function MarginGauge({ ratio }: { ratio: number | null }) {
  const shown = ratio === null ? GAUGE_MAX : Math.max(0, ratio);
  const [nx, ny] = point(shown, R - 14);
  const bands = useRatioBands();
  const band = ratioBand(ratio, bands);
  return (
    <figure className="gauge" data-testid="margin-gauge" data-value={ratio === null ? "null" : String(ratio)}
      aria-label={`margin ratio ${formatMarginRatio(ratio, 2)}; 100% is liquidation, higher is worse`}>
      <svg viewBox="-12 0 224 122" role="img">
        {arcsOf(bands).map((b) => <path key={b.label} d={arc(b.from, b.to)} stroke={b.color} strokeWidth={14} fill="none" opacity={0.85}><title>{b.label}</title></path>)}
        {[0, bands.warn, bands.liquidation, bands.backstop, GAUGE_MAX].filter((t) => t <= GAUGE_MAX).map((t, i) => {
          const [x, y] = point(t, R + 12);
          return <text key={i} x={x} y={y} className="gauge-tick" textAnchor="middle">{Math.round(t * 100)}%</text>;
        })}
        <line x1={CX} y1={CY} x2={nx} y2={ny} stroke="var(--text)" strokeWidth={3} strokeLinecap="round" />
        <circle cx={CX} cy={CY} r={5} fill="var(--text)" />
        <text x={CX} y={CY + 22} textAnchor="middle" className={`gauge-value ratio-${band}`}>{formatMarginRatio(ratio, 1)}</text>
      </svg>
      <figcaption className="muted">margin ratio = MM / equity · <b>higher is worse</b> → · 100% = liquidation</figcaption>
    </figure>
  );
}
