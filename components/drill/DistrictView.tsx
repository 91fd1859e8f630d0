"use client";

import { DOMAINS, metricById, type Domain, type EntityDefinition } from "@/lib/catalog";
import { domainPath, wallCrumb, withView } from "@/lib/drill/routes";
import { t, type Lang } from "@/lib/i18n";
import type { TSubscription } from "@/lib/realtime/protocol";
import { useLive } from "../realtime/LiveProvider";
import { DOMAIN_PANELS } from "../wall/domains";
import { freshnessOf } from "../wall/freshness";
import { Kpi } from "../wall/Kpi";
import { Panel } from "../wall/Panel";
import { TrendChart } from "../wall/TrendChart";
import { DrillShell, type DrillPageProps } from "./DrillShell";
import { RankedTable } from "./RankedTable";
import { useView } from "./use-view";

/** `/district/futian`: the four domains for one district side by side, and its worst roads, lots, institutions, nodes. */
export function DistrictView({ district, lang, ...page }: DrillPageProps & { district: EntityDefinition; lang: Lang }) {
  const subscription: TSubscription = { domains: [...DOMAINS], level: "entities", scope: district.id };
  return (
    <DrillShell {...page} lang={lang} trail={[wallCrumb()]} current={lang === "zh" ? district.nameZh : district.nameEn} subscription={subscription}>
      <div className="grid grid-cols-4 gap-[0.7rem]">
        {DOMAINS.map((domain) => (
          <DistrictDomain key={domain} domain={domain} district={district} lang={lang} />
        ))}
      </div>
    </DrillShell>
  );
}

function DistrictDomain({ domain, district, lang }: { domain: Domain; district: EntityDefinition; lang: Lang }) {
  const live = useLive();
  const [view, setView] = useView();
  const config = DOMAIN_PANELS[domain];
  const trend = metricById(config.trend);
  const districtName = lang === "zh" ? district.nameZh : district.nameEn;
  return (
    <Panel id={domain} title={t(lang, `domain.${domain}`)} lang={lang} freshness={freshnessOf(live, domain)} href={withView(domainPath(domain), { lang })}>
      <div className="grid grid-cols-2 gap-[0.6rem] py-[0.35rem]">
        {config.kpis.map((k) => {
          const metric = metricById(k.metricId);
          return metric && <Kpi key={k.metricId} metric={metric} value={live.store.latest(k.metricId, district.id)?.value} lang={lang} />;
        })}
      </div>
      {trend && (
        <div className="flex h-[16rem] flex-col">
          <TrendChart id={`${domain}-trend`} metric={trend} entityId={district.id} scope={districtName} lang={lang} range={view.range} onRangeChange={(range) => setView({ range })} />
        </div>
      )}
      <div className="mt-[0.6rem]">
        <RankedTable domain={domain} scope={district.id} limit={5} lang={lang} />
      </div>
    </Panel>
  );
}
