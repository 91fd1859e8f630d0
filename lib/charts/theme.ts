/** Colours and sizes shared by every chart builder (the wall's dark theme). */
export const palette = {
  ink: "#e6f0ff",
  inkDim: "#8fa6c8",
  grid: "rgba(143,166,200,0.18)",
  accent: "#38bdf8",
  ok: "#34d399",
  warn: "#fbbf24",
  crit: "#f87171",
  stale: "#64748b",
  china: "#f472b6",
} as const;

export type Severity = "ok" | "warning" | "critical";

export function severityColor(severity: Severity): string {
  return severity === "critical" ? palette.crit : severity === "warning" ? palette.warn : palette.ok;
}

/**
 * Text for HTML that ECharts renders as HTML: a tooltip formatter's return value is
 * set as the tooltip's innerHTML, unescaped (ECharts escapes only what it inserts
 * itself: series and category names in its default tooltip, `{b}`-style template
 * values). Every name, label, unit or note a builder puts into tooltip HTML goes
 * through here; canvas/SVG labels (label.formatter, axisLabel, legend) are drawn as
 * text and need no escaping. Not ECharts' `format.encodeHTML`: importing echarts/core
 * from the builders would pull ~116 KB of ECharts into the page chunk (the builders
 * run there; ECharts loads in its own chunk, see components/charts/EChart.tsx).
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
