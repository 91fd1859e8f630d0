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

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
