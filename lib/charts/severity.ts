import type { Thresholds } from "../catalog/metrics";
import type { Severity } from "./theme";

/**
 * A value at or beyond which a series is in warning or critical: the catalog's thresholds
 * of its metric, and the alert rules that watch it (lib/alerts/rules.ts `seriesLevels`).
 */
export interface SeverityLevel {
  severity: "warning" | "critical";
  direction: "above" | "below";
  value: number;
}

/** The catalog's thresholds as levels (none without thresholds). */
export function levelsOf(thresholds: Thresholds | undefined): SeverityLevel[] {
  if (!thresholds) return [];
  const { direction, warning, critical } = thresholds;
  return [
    { severity: "warning", direction, value: warning },
    { severity: "critical", direction, value: critical },
  ];
}

export function reaches(value: number, level: SeverityLevel): boolean {
  return level.direction === "above" ? value >= level.value : value <= level.value;
}

/** The worst level `value` reaches; "ok" when none. */
export function severityAt(value: number, levels: readonly SeverityLevel[]): Severity {
  let severity: Severity = "ok";
  for (const level of levels) {
    if (!reaches(value, level)) continue;
    if (level.severity === "critical") return "critical";
    severity = "warning";
  }
  return severity;
}

/** Where a value sits against a metric's thresholds; no thresholds means always ok. */
export function severityOf(value: number, thresholds: Thresholds | undefined): Severity {
  return severityAt(value, levelsOf(thresholds));
}
