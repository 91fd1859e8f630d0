/** How an alert's value reads: the metric's value and unit, or for a counting rule how many entities breached. */
import { metricById } from "../catalog";
import { formatValue, pick, t, type Lang } from "../i18n";
import type { TAlert } from "../realtime/protocol";

export function alertValueText(lang: Lang, alert: Pick<TAlert, "metricId" | "triggerValue" | "counted">): string | null {
  if (alert.counted && alert.counted !== "city" && alert.counted !== "district") return t(lang, `counted.${alert.counted}`, { n: formatValue(lang, alert.triggerValue, 0) });
  const metric = metricById(alert.metricId);
  if (!metric) return null;
  const unit = pick(lang, metric.unit);
  return `${formatValue(lang, alert.triggerValue, metric.decimals)}${unit ? ` ${unit}` : ""}`;
}
