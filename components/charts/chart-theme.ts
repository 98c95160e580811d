/** Shared look of the dark-theme charts. */
export const AXIS = "#6b7685";
export const GRID = "#1c2530";
export const TOOLTIP_STYLE = { background: "#111821", border: "1px solid #2a3441", fontSize: 12 } as const;
export const TOOLTIP_LABEL_STYLE = { color: "#d7dde5" } as const;
export const LONG_COLOR = "#f85149";
export const SHORT_COLOR = "#3fb950";
export const ACCENT = "#4cc2ff";
/** Distinct line colours for several series. */
export const SERIES_COLORS = ["#4cc2ff", "#f0883e", "#a371f7", "#3fb950", "#db61a2", "#e3b341", "#56d4dd", "#ff7b72"];
