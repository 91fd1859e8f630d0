import type { Thresholds } from "../catalog/metrics";
import type { Severity } from "./theme";

/** Where a value sits against a metric's thresholds; no thresholds means always ok. */
export function severityOf(value: number, thresholds: Thresholds | undefined): Severity {
  if (!thresholds) return "ok";
  const worseThan = (limit: number) => (thresholds.direction === "above" ? value >= limit : value <= limit);
  if (worseThan(thresholds.critical)) return "critical";
  if (worseThan(thresholds.warning)) return "warning";
  return "ok";
}
