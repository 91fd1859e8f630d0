"use client";

import { useMemo } from "react";
import { CITY_ID, DISTRICTS, metricById, type Domain, type MetricDefinition } from "@/lib/catalog";
import { districtBarsOption } from "@/lib/charts/district-bars";
import { attentionOf } from "@/lib/alerts/attention";
import { domainPath, withView } from "@/lib/drill/routes";
import { pick, t, type Lang } from "@/lib/i18n";
import { testIds } from "@/lib/testids";
import { EChart } from "../charts/EChart";
import { useLive } from "../realtime/LiveProvider";
import { DOMAIN_PANELS } from "./domains";
import { Kpi } from "./Kpi";
import { Panel } from "./Panel";
import { TrendChart } from "./TrendChart";
import { freshnessOf } from "./freshness";
import { useRem } from "./hooks";

function metric(id: string): MetricDefinition {
  const m = metricById(id);
  if (!m) throw new Error(`metric ${id} is not in the catalog`);
  return m;
}

/** `stacked`: a tall cell (48:9 wall) puts the district bars under the trend instead of beside it. */
export function DomainPanelBody({ domain, lang, stacked = false }: { domain: Domain; lang: Lang; stacked?: boolean }) {
  const live = useLive();
  const rem = useRem();
  const config = DOMAIN_PANELS[domain];
  const { store } = live;
  const trendMetric = metric(config.trend);
  const barMetric = metric(config.byDistrict);

  // Rebuilt only when a bar's value changes: the store's version moves with every domain's frame and every second.
  const barValues = DISTRICTS.map((d) => store.latest(config.byDistrict, d.id)?.value ?? null);
  const barKey = barValues.join("|");
  const bars = useMemo(
    () =>
      districtBarsOption({
        metric: barMetric,
        rem,
        bars: DISTRICTS.map((d, i) => ({ name: lang === "zh" ? d.nameZh.replace(/区$|新区$/, "") : d.nameEn, value: barValues[i] ?? null })),
      }),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- barKey stands for barValues' content
    [barMetric, barKey, rem, lang],
  );

  return (
    <>
      <div className="grid grid-cols-3 gap-[0.8rem] py-[0.35rem]">
        {config.kpis.map((k) => (
          <Kpi key={k.metricId} metric={metric(k.metricId)} value={store.latest(k.metricId, CITY_ID)?.value} lang={lang} totalOf={k.totalOf} />
        ))}
      </div>
      <div className={`grid min-h-0 flex-1 gap-[0.6rem] ${stacked ? "grid-rows-2" : "grid-cols-[minmax(0,1.15fr)_minmax(0,1fr)]"}`}>
        <div className="flex min-h-0 flex-col">
          <TrendChart id={`${domain}-trend`} metric={trendMetric} entityId={CITY_ID} scope={t(lang, "chart.city")} lang={lang} />
        </div>
        <div className="flex min-h-0 flex-col">
          <div className="text-[0.85rem] text-ink-dim">
            {pick(lang, barMetric.label)} · {t(lang, "chart.byDistrict")}
            {pick(lang, barMetric.unit) ? ` (${pick(lang, barMetric.unit)})` : ""}
          </div>
          <div className="min-h-0 flex-1">
            <EChart option={bars} testId={testIds.chart(`${domain}-districts`)} label={`${pick(lang, barMetric.label)} · ${t(lang, "chart.byDistrict")}`} />
          </div>
        </div>
      </div>
    </>
  );
}

export function DomainPanel({ domain, lang, stacked }: { domain: Domain; lang: Lang; stacked?: boolean }) {
  const live = useLive();
  return (
    <Panel id={domain} title={t(lang, `domain.${domain}`)} lang={lang} freshness={freshnessOf(live, domain)} href={withView(domainPath(domain), { lang })} attention={attentionOf(live.alerts)?.domain === domain}>
      <DomainPanelBody domain={domain} lang={lang} stacked={stacked} />
    </Panel>
  );
}
