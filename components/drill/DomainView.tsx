"use client";

import { CITY_ID, metricsOf, type Domain } from "@/lib/catalog";
import type { MapPlace } from "@/lib/charts/city-map";
import { RANKINGS, rankEntities } from "@/lib/drill/rankings";
import { wallCrumb } from "@/lib/drill/routes";
import { t, type Lang } from "@/lib/i18n";
import type { TSubscription } from "@/lib/realtime/protocol";
import { useLive } from "../realtime/LiveProvider";
import { DOMAIN_PANELS } from "../wall/domains";
import { freshnessOf } from "../wall/freshness";
import { Kpi } from "../wall/Kpi";
import { Panel } from "../wall/Panel";
import { TrendChart } from "../wall/TrendChart";
import { CityMap } from "../map/CityMap";
import { DistrictCompare } from "./DistrictCompare";
import { DrillShell, type DrillPageProps } from "./DrillShell";
import { RankedTable, rankingTitle } from "./RankedTable";
import { useView } from "./use-view";

/** `/traffic`, `/parking`, …: the whole domain across the city, every road, lot, institution or node in it. */
export function DomainView({ domain, lang, ...page }: DrillPageProps & { domain: Domain; lang: Lang }) {
  const subscription: TSubscription = { domains: [domain], level: "entities", scope: CITY_ID };
  return (
    <DrillShell {...page} lang={lang} trail={[wallCrumb()]} current={t(lang, `domain.${domain}`)} subscription={subscription}>
      <DomainBody domain={domain} lang={lang} />
    </DrillShell>
  );
}

function DomainBody({ domain, lang }: { domain: Domain; lang: Lang }) {
  const live = useLive();
  const [view, setView] = useView();
  const freshness = freshnessOf(live, domain);
  const totals = new Map(DOMAIN_PANELS[domain].kpis.map((k) => [k.metricId as string, k.totalOf]));
  const trendMetrics = metricsOf(domain).filter((m) => m.thresholds || m.id === DOMAIN_PANELS[domain].trend);
  // The five worst on the map too, numbered as in the table, each a dot that opens its page.
  const worstDots: MapPlace[] = rankEntities(RANKINGS[domain], (m, e) => live.store.latest(m, e), CITY_ID, 5).flatMap(({ entity, value }, i) =>
    entity.lon !== null && entity.lat !== null ? [{ id: entity.id, label: lang === "zh" ? entity.nameZh : entity.nameEn, value, lon: entity.lon, lat: entity.lat, caption: String(i + 1) }] : [],
  );
  return (
    <div className="grid grid-cols-2 gap-[0.7rem]">
      <div className="col-span-2">
        <Panel id={`${domain}-city`} title={t(lang, "drill.cityKpis")} lang={lang} freshness={freshness}>
          <div className="grid grid-cols-5 gap-[0.8rem] py-[0.35rem]">
            {metricsOf(domain).map((m) => (
              <Kpi key={m.id} metric={m} value={live.store.latest(m.id, CITY_ID)?.value} lang={lang} totalOf={totals.get(m.id)} />
            ))}
          </div>
        </Panel>
      </div>
      <Panel id={`${domain}-compare`} title={t(lang, "drill.compare")} lang={lang} freshness={freshness}>
        <DistrictCompare domain={domain} lang={lang} />
      </Panel>
      <Panel id={`${domain}-rank`} title={rankingTitle(domain, 10, lang)} lang={lang} freshness={freshness}>
        <RankedTable domain={domain} scope={CITY_ID} limit={10} lang={lang} captioned={false} />
      </Panel>
      <Panel id={`${domain}-map`} title={t(lang, "map.title")} lang={lang} freshness={freshness}>
        <div className="h-[20rem]">
          <CityMap layer={domain} lang={lang} dots={worstDots} />
        </div>
      </Panel>
      {trendMetrics.map((m) => (
        <Panel key={m.id} id={`${domain}-history-${m.id}`} title={t(lang, "drill.history")} lang={lang}>
          <div className="flex h-[20rem] flex-col">
            <TrendChart id={`${m.id}-city`} metric={m} entityId={CITY_ID} scope={t(lang, "chart.city")} lang={lang} range={view.range} onRangeChange={(range) => setView({ range })} />
          </div>
        </Panel>
      ))}
    </div>
  );
}
