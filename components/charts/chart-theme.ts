/**
 * The one look of every chart, Recharts and plain SVG alike (dark theme): colours, type, strokes
 * and where tick labels sit. A chart takes these, never its own literal.
 */
import { STATUS_COLORS } from "@/lib/client/ratio-bands";

/** Axis lines, tick marks and tick labels. */
export const AXIS = "#6b7685";
/** A tick label's second line (the map's move from the mark). */
export const AXIS_SECOND_LINE = "#5d6877";
export const GRID = "#1c2530";
/** Text on the chart (the mark line, the tooltip's title). */
export const TEXT = "#d7dde5";
/** The panel's background (--panel): tooltips, and the outline that keeps a label readable over a line. */
export const PANEL = "#111821";

export const ACCENT = "#4cc2ff";
/** A live line whose data is stale. */
export const STALE_LINE = AXIS;
export const LONG_COLOR = "#f85149";
export const SHORT_COLOR = "#3fb950";
/** The thresholds' lines, in their statuses' colours. */
export const LIQUIDATION_COLOR = STATUS_COLORS.liquidatable;
export const WARNING_COLOR = STATUS_COLORS.warning;
/** Distinct line colours for several series. */
export const SERIES_COLORS = ["#4cc2ff", "#f0883e", "#a371f7", "#3fb950", "#db61a2", "#e3b341", "#56d4dd", "#ff7b72"];

/** The hover cross-hair and the hovered bucket or bar. */
export const HOVER_LINE = "#3a4654";
export const HOVER_FILL = "rgba(255,255,255,0.05)";
/** A value written over its bar. */
export const VALUE_LABEL = "#aab4c0";

/** Every line series, px. */
export const LINE_WIDTH = 1.5;
/** Tick labels, unit labels and line labels, px. */
export const FONT_SIZE = 10;
/** A value written over its bar, px. */
export const SMALL_FONT_SIZE = 9;
/** Length of a tick mark and the gap between it and its label, px (Recharts' defaults: 6 and 2). */
export const TICK_LENGTH = 6;
export const TICK_LABEL_GAP = 2;
/** Average width of a character of a tick label at FONT_SIZE (digits, ":" and "."), px: to fit labels without measuring them. */
export const LABEL_CHAR_WIDTH = 6.2;

export const TOOLTIP_STYLE = { background: PANEL, border: "1px solid #2a3441", fontSize: 12 } as const;
export const TOOLTIP_LABEL_STYLE = { color: TEXT } as const;
