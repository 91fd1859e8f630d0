import type { MetricDefinition } from "@/lib/catalog";
import { levelsOf, severityAt, type SeverityLevel } from "@/lib/charts/severity";
import { formatValue, pick, t, type Lang } from "@/lib/i18n";
import { testIds } from "@/lib/testids";

const severityClass = { ok: "text-ink", warning: "text-warn", critical: "text-crit" } as const;
const severityMark = { ok: "", warning: "▲", critical: "◆" } as const;

/** A headline figure: label, value with unit, severity by colour and by a mark (at the catalog's thresholds, or the given levels). */
export function Kpi(props: { metric: MetricDefinition; value: number | undefined; lang: Lang; totalOf?: number; levels?: readonly SeverityLevel[] }) {
  const { metric, value, lang } = props;
  const severity = value === undefined ? "ok" : severityAt(value, props.levels ?? levelsOf(metric.thresholds));
  const unit = pick(lang, metric.unit);
  return (
    <div data-testid={testIds.kpi(metric.id)} data-severity={severity} className="min-w-0">
      <div className="truncate text-[0.95rem] text-ink-dim">{pick(lang, metric.label)}</div>
      {/* In a narrow cell the unit goes under the figure instead of running into the next one. */}
      <div className={`flex flex-wrap items-baseline gap-x-[0.3rem] whitespace-nowrap text-[2.1rem] leading-[1.15] font-bold tabular-nums ${severityClass[severity]}`}>
        <span>
          {severityMark[severity] && <span className="mr-[0.2rem] text-[1.2rem] align-middle">{severityMark[severity]}</span>}
          <span data-value>{value === undefined ? "—" : formatValue(lang, value, metric.decimals)}</span>
        </span>
        {unit && <span className="text-[1rem] font-normal text-ink-dim">{unit}</span>}
        {props.totalOf !== undefined && <span className="text-[0.95rem] font-normal text-ink-dim">/ {t(lang, "ofTotal", { n: props.totalOf })}</span>}
      </div>
    </div>
  );
}
