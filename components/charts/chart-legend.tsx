/** A chart legend in HTML, outside the SVG (Recharts' Legend measures itself on every redraw). */
export function ChartLegend({ items }: { items: { label: string; color: string; kind?: "line" | "box" }[] }) {
  return (
    <div className="chart-legend">
      {items.map((i) => (
        <span key={i.label} className="chart-legend-item">
          <span className={i.kind === "line" ? "legend-line" : "legend-box"} style={{ background: i.color }} aria-hidden />
          {i.label}
        </span>
      ))}
    </div>
  );
}
