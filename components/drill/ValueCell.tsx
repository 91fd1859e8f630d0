import type { MetricDefinition } from "@/lib/catalog";
import { severityOf } from "@/lib/charts/severity";
import { formatValue, type Lang } from "@/lib/i18n";

const SEVERITY_CELL = { ok: "text-ink", warning: "text-warn", critical: "text-crit font-bold" } as const;
const SEVERITY_MARK = { ok: "", warning: "▲ ", critical: "◆ " } as const;

/** A figure in a table: its severity by colour and by a mark (readable without colour), "—" when there is none. */
export function ValueCell({ metric, value, lang, className = "" }: { metric: MetricDefinition | undefined; value: number | undefined; lang: Lang; className?: string }) {
  const severity = value === undefined || !metric ? "ok" : severityOf(value, metric.thresholds);
  return (
    <td className={`text-right ${SEVERITY_CELL[severity]} ${className}`}>
      {SEVERITY_MARK[severity]}
      {value === undefined || !metric ? "—" : formatValue(lang, value, metric.decimals)}
    </td>
  );
}
