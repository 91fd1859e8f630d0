"use client";

import { CITY_ID, metricsOf, type Domain } from "@/lib/catalog";
import { domainPath, withView } from "@/lib/drill/routes";
import { t, type Lang } from "@/lib/i18n";
import { useLive } from "../realtime/LiveProvider";
import { DOMAIN_PANELS } from "./domains";
import { Panel } from "./Panel";
import { TrendChart } from "./TrendChart";
import { freshnessOf } from "./freshness";

/**
 * Wide walls only: every city metric of a domain that its main panel does not chart,
 * each as its own trend — what a 16:9 wall leaves to the drill-down page.
 */
export function DomainMetricsPanel({ domain, lang, columns }: { domain: Domain; lang: Lang; columns: 1 | 2 }) {
  const live = useLive();
  const metrics = metricsOf(domain).filter((m) => m.id !== DOMAIN_PANELS[domain].trend);
  return (
    <Panel
      id={`${domain}-all`}
      title={t(lang, "domain.allMetrics", { domain: t(lang, `domain.${domain}`) })}
      lang={lang}
      freshness={freshnessOf(live, domain)}
      href={withView(domainPath(domain), { lang })}
    >
      <div className={`grid min-h-0 flex-1 auto-rows-fr gap-x-[0.8rem] gap-y-[0.4rem] pt-[0.3rem] ${columns === 2 ? "grid-cols-2" : "grid-cols-1"}`}>
        {metrics.map((m) => (
          <div key={m.id} className="flex min-h-0 min-w-0 flex-col">
            <TrendChart id={`${domain}-all-${m.id}`} metric={m} entityId={CITY_ID} scope={t(lang, "chart.city")} lang={lang} />
          </div>
        ))}
      </div>
    </Panel>
  );
}
